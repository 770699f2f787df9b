"""Request-level rules of the fake Slack (errors, JSON fields, blocks) and its file uploads."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warning.notify._fakestate import Workspace

__all__ = [
    "ApiError",
    "as_json",
    "check_blocks",
    "complete_upload",
    "receive_upload",
    "truthy",
    "upload_url",
]

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150


class ApiError(Exception):
    """Slack's ``{"ok": false, "error": code}`` for a request."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


def as_json(value: Any, what: str) -> Any:
    """Form bodies carry JSON fields as strings; JSON bodies carry them as values."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ApiError(f"invalid_{what}") from None
    return value


def check_blocks(blocks: Any) -> list[dict[str, Any]]:
    """Slack's ``invalid_blocks`` rules that matter here: count, types, text sizes."""
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise ApiError("invalid_blocks")
    for block in blocks:
        if not isinstance(block, dict) or "type" not in block:
            raise ApiError("invalid_blocks")
        text = block.get("text")
        if isinstance(text, dict):
            limit = MAX_HEADER_TEXT if block["type"] == "header" else MAX_SECTION_TEXT
            if len(str(text.get("text", ""))) > limit:
                raise ApiError("invalid_blocks")
    return blocks


def upload_url(ws: Workspace, params: dict[str, Any], *, base_url: str) -> Any:
    filename = params.get("filename")
    length = params.get("length")
    if not filename or length in (None, ""):
        raise ApiError("invalid_arguments")
    ws._seq += 1
    file_id = f"F{ws._seq:09d}"
    ws.files[file_id] = {
        "id": file_id,
        "name": str(filename),
        "length": int(length),
        "uploaded": False,
        "size": 0,
        "sha256": None,
    }
    root = base_url.rsplit("/api/", 1)[0]
    return {"upload_url": f"{root}/upload/v1/{file_id}", "file_id": file_id}


def receive_upload(ws: Workspace, file_id: str, data: bytes) -> None:
    info = ws.files.get(file_id)
    if info is None:
        raise ApiError("file_not_found")
    info.update(uploaded=True, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    ws.file_data[file_id] = data


def complete_upload(ws: Workspace, params: dict[str, Any], *, auto_users: bool) -> Any:
    wanted = as_json(params.get("files"), "files")
    if not isinstance(wanted, list) or not wanted:
        raise ApiError("invalid_arguments")
    done = []
    for item in wanted:
        info = ws.files.get(str(item.get("id")))
        if info is None or not info["uploaded"]:
            raise ApiError("file_not_found")
        info["title"] = item.get("title") or info["name"]
        mimetype = "image/png" if info["name"].lower().endswith(".png") else "text/plain"
        done.append({**info, "mimetype": mimetype, "permalink": f"fake://{info['id']}"})
    if params.get("channel_id"):
        post = {"channel": params["channel_id"], "text": params.get("initial_comment") or ""}
        if params.get("thread_ts"):
            post["thread_ts"] = params["thread_ts"]
        cid = ws.resolve(post["channel"], auto_users=auto_users)
        ws._writable(cid)
        ts = ws.next_ts()
        message = {"type": "message", "user": ws.bot_user, "ts": ts, "text": post["text"]}
        message["files"] = [{"id": f["id"], "name": f["name"], "title": f["title"]} for f in done]
        if post.get("thread_ts"):
            ws.find(cid, str(post["thread_ts"]))
            message["thread_ts"] = str(post["thread_ts"])
        ws.messages[cid].append(message)
    return {"files": done}
