"""The workspace behind the fake Slack: users, channels, messages, files, and the methods."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from warning.notify._fakeapi import (
    ApiError,
    as_json,
    check_blocks,
    complete_upload,
    receive_upload,
    truthy,
    upload_url,
)

__all__ = ["ApiError", "Workspace"]

MAX_MESSAGE_TEXT = 40000


class Workspace:
    """State and method semantics of one fake workspace (not thread-safe on its own)."""

    def __init__(self, *, team: str = "T0SHITSTORM", bot_user: str = "U0SHITBOT") -> None:
        self.team = team
        self.bot_user = bot_user
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.file_data: dict[str, bytes] = {}
        self._last_us = 0
        self._seq = 0

    # ------------------------------------------------------------------ seeding
    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        email: str | None = None,
        tz: str = "Europe/Berlin",
        locale: str = "de-DE",
    ) -> dict[str, Any]:
        name = name or user_id.lower()
        user = {
            "id": user_id,
            "team_id": self.team,
            "name": name,
            "real_name": name,
            "deleted": False,
            "is_bot": False,
            "tz": tz,
            "locale": locale,
            "profile": {"real_name": name, "display_name": name, "email": email},
        }
        self.users[user_id] = user
        return user

    def add_channel(self, name: str, channel_id: str | None = None, *, member: bool = True) -> str:
        name = name.lstrip("#")
        channel_id = channel_id or "C" + hashlib.sha1(name.encode()).hexdigest()[:10].upper()
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_im": False,
            "member": member,
        }
        self.messages.setdefault(channel_id, [])
        return channel_id

    def dm_channel(self, user_id: str, *, auto_users: bool) -> str:
        if user_id not in self.users:
            if not (auto_users and user_id[:1] in "UW" and user_id[1:].isalnum()):
                raise ApiError("user_not_found")
            self.add_user(user_id)
        channel_id = "D" + user_id[1:]
        if channel_id not in self.channels:
            self.channels[channel_id] = {
                "id": channel_id,
                "name": None,
                "is_im": True,
                "user": user_id,
                "member": True,
            }
            self.messages.setdefault(channel_id, [])
        return channel_id

    def resolve(self, channel: Any, *, auto_users: bool) -> str:
        """A channel id, ``#name``, name, DM id or user id → the channel id."""
        if not isinstance(channel, str) or not channel:
            raise ApiError("channel_not_found")
        if channel in self.channels:
            return channel
        if channel[:1] in "UW" and channel in self.users:
            return self.dm_channel(channel, auto_users=auto_users)
        name = channel.lstrip("#")
        for cid, info in self.channels.items():
            if info.get("name") == name:
                return cid
        raise ApiError("channel_not_found")

    # ------------------------------------------------------------------ helpers
    def next_ts(self) -> str:
        now_us = int(time.time() * 1_000_000)
        self._last_us = max(now_us, self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    def receive_upload(self, file_id: str, data: bytes) -> None:
        receive_upload(self, file_id, data)

    def find(self, channel_id: str, ts: str) -> dict[str, Any]:
        for message in self.messages.get(channel_id, []):
            if message["ts"] == ts:
                return message
        raise ApiError("message_not_found")

    def _writable(self, channel_id: str) -> None:
        if not self.channels[channel_id].get("member", True):
            raise ApiError("not_in_channel")

    def _content(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        blocks = params.get("blocks")
        if blocks is not None:
            blocks = check_blocks(as_json(blocks, "blocks"))
        if not text and not blocks:
            raise ApiError("no_text")
        if text is not None and len(str(text)) > MAX_MESSAGE_TEXT:
            raise ApiError("msg_too_long")
        out: dict[str, Any] = {"text": "" if text is None else str(text)}
        if blocks is not None:
            out["blocks"] = blocks
        return out

    # ------------------------------------------------------------------ methods
    def call(self, method: str, params: dict[str, Any], *, base_url: str, auto_users: bool) -> Any:
        if method == "auth.test":
            return {
                "url": "https://shitstorm-fake.slack.com/",
                "team": "shitstorm",
                "user": "shitstorm",
                "team_id": self.team,
                "user_id": self.bot_user,
                "bot_id": "B0SHITBOT",
            }
        if method == "chat.postMessage":
            return self.post_message(params, auto_users=auto_users)
        if method == "chat.update":
            return self.update_message(params, auto_users=auto_users)
        if method == "conversations.open":
            users = str(params.get("users") or params.get("user") or "")
            if not users or "," in users:
                raise ApiError("not_enough_users" if not users else "too_many_users")
            cid = self.dm_channel(users, auto_users=auto_users)
            return {"channel": {"id": cid, "is_im": True, "user": users}}
        if method == "conversations.history":
            return self.history(params, auto_users=auto_users)
        if method == "conversations.replies":
            return self.replies(params, auto_users=auto_users)
        if method == "users.info":
            user = self.users.get(str(params.get("user", "")))
            if user is None:
                raise ApiError("user_not_found")
            return {"user": user}
        if method == "files.getUploadURLExternal":
            return upload_url(self, params, base_url=base_url)
        if method == "files.completeUploadExternal":
            return complete_upload(self, params, auto_users=auto_users)
        raise ApiError("unknown_method")

    def post_message(self, params: dict[str, Any], *, auto_users: bool) -> Any:
        cid = self.resolve(params.get("channel"), auto_users=auto_users)
        self._writable(cid)
        message: dict[str, Any] = {"type": "message", "user": self.bot_user, "bot_id": "B0SHITBOT"}
        message.update(self._content(params))
        thread_ts = params.get("thread_ts")
        if thread_ts:
            parent = self.find(cid, str(thread_ts))
            parent["reply_count"] = int(parent.get("reply_count", 0)) + 1
            parent.setdefault("thread_ts", parent["ts"])
            message["thread_ts"] = str(thread_ts)
        metadata = params.get("metadata")
        if metadata is not None:
            metadata = as_json(metadata, "metadata")
            if not isinstance(metadata, dict) or "event_type" not in metadata:
                raise ApiError("invalid_metadata_format")
            message["metadata"] = {
                "event_type": metadata["event_type"],
                "event_payload": metadata.get("event_payload", {}),
            }
        message["ts"] = self.next_ts()
        self.messages[cid].append(message)
        return {"channel": cid, "ts": message["ts"], "message": message}

    def update_message(self, params: dict[str, Any], *, auto_users: bool) -> Any:
        cid = self.resolve(params.get("channel"), auto_users=auto_users)
        message = self.find(cid, str(params.get("ts", "")))
        if message.get("user") != self.bot_user:
            raise ApiError("cant_update_message")
        content = self._content(params)
        message.update(content)
        if "blocks" not in content:
            message.pop("blocks", None)
        message["edited"] = {"user": self.bot_user, "ts": self.next_ts()}
        return {"channel": cid, "ts": message["ts"], "text": message["text"], "message": message}

    def _page(self, items: list[dict[str, Any]], params: dict[str, Any]) -> Any:
        limit = min(max(int(params.get("limit") or 100), 1), 999)
        cursor = str(params.get("cursor") or "")
        start = int(cursor.split(":", 1)[1]) if cursor.startswith("offset:") else 0
        page = items[start : start + limit]
        more = start + limit < len(items)
        out: dict[str, Any] = {"messages": page, "has_more": more}
        out["response_metadata"] = {"next_cursor": f"offset:{start + limit}" if more else ""}
        return out

    def _visible(self, message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
        shown = {k: v for k, v in message.items() if k != "metadata" or with_metadata}
        copied: dict[str, Any] = json.loads(json.dumps(shown))  # a copy the caller cannot change
        return copied

    def history(self, params: dict[str, Any], *, auto_users: bool) -> Any:
        cid = self.resolve(params.get("channel"), auto_users=auto_users)
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or 1e12)
        inclusive = truthy(params.get("inclusive"))
        meta = truthy(params.get("include_all_metadata"))
        top = [
            self._visible(m, meta)
            for m in reversed(self.messages[cid])
            if m.get("thread_ts") in (None, m["ts"])
            and (oldest <= float(m["ts"]) if inclusive else oldest < float(m["ts"]))
            and (float(m["ts"]) <= latest if inclusive else float(m["ts"]) < latest)
        ]
        return self._page(top, params)

    def replies(self, params: dict[str, Any], *, auto_users: bool) -> Any:
        cid = self.resolve(params.get("channel"), auto_users=auto_users)
        parent = self.find(cid, str(params.get("ts", "")))
        meta = truthy(params.get("include_all_metadata"))
        thread = [
            self._visible(m, meta)
            for m in self.messages[cid]
            if m is parent or m.get("thread_ts") == parent["ts"]
        ]
        return self._page(thread, params)

    # ------------------------------------------------------------------ persistence
    def dump(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "bot_user": self.bot_user,
            "users": self.users,
            "channels": self.channels,
            "messages": self.messages,
            "files": self.files,
            "last_us": self._last_us,
            "seq": self._seq,
        }

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.dump(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Workspace:
        data = json.loads(path.read_text(encoding="utf-8"))
        ws = cls(team=data["team"], bot_user=data["bot_user"])
        ws.users, ws.channels = data["users"], data["channels"]
        ws.messages, ws.files = data["messages"], data["files"]
        ws._last_us, ws._seq = int(data["last_us"]), int(data["seq"])
        return ws
