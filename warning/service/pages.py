"""The incident pages: ``GET /incidents``, ``GET /incidents/{ref}``, its chart and checklist.

HTML from Jinja2 templates (autoescaped, package data under ``templates/``), with
inline CSS and a few lines of inline JavaScript: the page loads nothing from
elsewhere. German by default, English with ``?lang=en``; times in the runtime's
zone. A checklist item is ticked by a plain form ``POST`` that names the person
ticking (one of the crisis' people); it goes through
:meth:`Escalator.on_ack <warning.escalate.Escalator.on_ack>` like a tick in Slack,
so the audit log records who ticked it, when, and that it came from the page.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from warning.errors import ShitstormError, StoreError
from warning.notify.labels import clock_time, number, percent, ratio, severity_name
from warning.records import Ack
from warning.service.auth import PAGE_COOKIE, Tokens, bearer
from warning.service.incident import Incident, chart_frame, headline, incident, open_crises
from warning.service.protocol import ServiceRuntime

__all__ = ["page_router"]

_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "subtitle": "Frühwarnung & Krisen-Playbooks",
        "incidents": "Krisen",
        "none": "Keine offene Krise.",
        "crisis": "Krise",
        "brand": "Marke",
        "severity": "Schwere",
        "since": "seit",
        "level": "Stufe",
        "paged": "alarmiert",
        "acked": "übernommen",
        "promise": "Update bis",
        "state": "Stand",
        "open": "offen",
        "resolved": "erledigt",
        "false_alarm": "Fehlalarm",
        "playbook": "Playbook",
        "signal": "Signal gegen die Erwartung",
        "volume": "Volumen",
        "expected": "erwartet",
        "negative_share": "Negativ-Anteil",
        "alerts": "Alarme",
        "last": "zuletzt",
        "chart_alt": "Volumen und Negativ-Anteil gegen die Erwartung",
        "no_alerts": "Noch keine Alarmdaten.",
        "checklist": "Checkliste",
        "no_checklist": "Dieses Playbook hat keine Checkliste.",
        "task": "Aufgabe",
        "role": "Rolle",
        "due": "fällig",
        "done_by": "erledigt von",
        "who": "wer",
        "tick": "Erledigt",
        "statements": "Stellungnahmen",
        "no_statements": "Dieses Playbook hat keine Stellungnahmen.",
        "chars": "Zeichen",
        "approved_by": "freigegeben von",
        "second_needed": "eine zweite Person muss freigeben",
        "draft": "Entwurf, noch nicht freigegeben",
        "timeline": "Verlauf",
        "time": "Zeit",
        "event": "Ereignis",
        "what": "was",
        "times_in": "Zeiten in",
        "ticked": "Erledigt: {item} ({who}).",
        "already": "{item} war schon erledigt.",
    },
    "en": {
        "subtitle": "early warning & crisis playbooks",
        "incidents": "Crises",
        "none": "No open crisis.",
        "crisis": "Crisis",
        "brand": "Brand",
        "severity": "Severity",
        "since": "since",
        "level": "level",
        "paged": "paged",
        "acked": "acknowledged",
        "promise": "update by",
        "state": "State",
        "open": "open",
        "resolved": "resolved",
        "false_alarm": "false alarm",
        "playbook": "playbook",
        "signal": "Signal against the baseline",
        "volume": "Volume",
        "expected": "expected",
        "negative_share": "Negative share",
        "alerts": "Alerts",
        "last": "last",
        "chart_alt": "Volume and negative share against what is expected",
        "no_alerts": "No alert data yet.",
        "checklist": "Checklist",
        "no_checklist": "This playbook has no checklist.",
        "task": "Task",
        "role": "Role",
        "due": "due",
        "done_by": "done by",
        "who": "who",
        "tick": "Done",
        "statements": "Statements",
        "no_statements": "This playbook has no statements.",
        "chars": "characters",
        "approved_by": "approved by",
        "second_needed": "a second person must approve",
        "draft": "draft, not approved yet",
        "timeline": "Timeline",
        "time": "Time",
        "event": "Event",
        "what": "what",
        "times_in": "Times in",
        "ticked": "Done: {item} ({who}).",
        "already": "{item} was done already.",
    },
}

_ENV = Environment(
    loader=PackageLoader("warning.service", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang", "").lower().startswith("en") else "de"


def _query(lang: str) -> str:
    return "" if lang == "de" else "?" + urlencode({"lang": lang})


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _helpers(lang: str, tz: str) -> dict[str, Callable[..., str]]:
    def stamp(value: datetime | None) -> str:
        if value is None:
            return "–"
        from zoneinfo import ZoneInfo

        local = value.astimezone(ZoneInfo(tz))
        return local.strftime("%d.%m.%Y %H:%M" if lang == "de" else "%Y-%m-%d %H:%M")

    return {
        "stamp": stamp,
        "clock": lambda value: clock_time(value, tz),
        "sev": lambda value: severity_name(lang, value),
        "num": lambda value, digits=0: "–" if _nan(value) else number(lang, value, digits),
        "pct": lambda value: "–" if _nan(value) else percent(lang, value),
        "ratio": lambda value: "–" if _nan(value) else ratio(lang, value),
    }


def _render(name: str, lang: str, tz: str, **values: Any) -> str:
    template = _ENV.get_template(name)
    return template.render(
        lang=lang, w=_WORDS[lang], q=_query(lang), tz=tz, **_helpers(lang, tz), **values
    )


class _Pages:
    def __init__(self, runtime: ServiceRuntime, tokens: Tokens) -> None:
        self.runtime = runtime
        self.tokens = tokens

    # ------------------------------------------------------------------ auth
    def _token(self, request: Request) -> tuple[str | None, bool]:
        """(the token offered, whether it came in the query string)."""
        query = request.query_params.get("token")
        if query:
            return query, True
        header = bearer(request.headers.get("authorization"))
        return header or request.cookies.get(PAGE_COOKIE), False

    def _refuse(self, request: Request) -> Response | None:
        if self.tokens.open:
            return None
        token, _ = self._token(request)
        if self.tokens.accepts(token):
            return None
        return HTMLResponse(
            "<!doctype html><title>401</title><p>Zugang nur mit Token: "
            "<code>/incidents?token=…</code> (SHITSTORM_PAGE_TOKEN). "
            "Access needs a token.</p>",
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="shitstorm incidents"'},
        )

    def _finish(self, request: Request, response: Response) -> Response:
        """Keep a token that came in the link as a cookie (HttpOnly, SameSite=Strict)."""
        token, from_query = self._token(request)
        if from_query and token and self.tokens.accepts(token):
            response.set_cookie(
                PAGE_COOKIE, token, httponly=True, samesite="strict", path="/incidents"
            )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "script-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
        )
        return response

    # ------------------------------------------------------------------ routes
    async def index(self, request: Request) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        lang, tz = _lang(request), self.runtime.tz
        crises = await run_in_threadpool(open_crises, self.runtime.store)
        html = _render("incidents.html", lang, tz, crises=crises)
        return self._finish(request, HTMLResponse(html))

    def _load(self, ref: str) -> Incident:
        return incident(
            self.runtime.store, ref, config=self.runtime.playbooks(), tz=self.runtime.tz
        )

    async def show(self, request: Request, ref: str) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        lang, tz = _lang(request), self.runtime.tz
        try:
            found = await run_in_threadpool(self._load, ref)
        except StoreError as err:
            return HTMLResponse(f"<!doctype html><p>{_escape(str(err))}</p>", status_code=404)
        message = request.query_params.get("message")
        html = _render(
            "incident.html",
            lang,
            tz,
            i=found,
            last=found.alerts[-1] if found.alerts else None,
            headline=headline(found, lang),
            message=message,
        )
        return self._finish(request, HTMLResponse(html))

    def _chart(self, ref: str, lang: str) -> bytes | None:
        from warning.notify.chart import render_chart

        found = self._load(ref)
        frame = None
        richer = getattr(self.runtime, "series_frame", None)
        if callable(richer):
            frame = richer(found.status.brand, found.status.opened_at)
        if frame is None or len(frame) == 0:
            frame = chart_frame(found)
        if len(frame) == 0:
            return None
        points = [a.change_point_at for a in found.alerts if a.change_point_at is not None]
        return render_chart(
            frame,
            change_points=points[:1],
            alerts=[a.bucket_start for a in found.alerts],
            title=f"{found.status.brand} · {found.status.ref}",
            lang=lang,
            tz=self.runtime.tz,
        )

    async def chart(self, request: Request, ref: str) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        try:
            png = await run_in_threadpool(self._chart, ref, _lang(request))
        except StoreError as err:
            return JSONResponse({"error": str(err)}, status_code=404)
        if png is None:
            return Response(status_code=204)
        return self._finish(request, Response(png, media_type="image/png"))

    async def tick(self, request: Request, ref: str, item: str) -> Response:
        refused = self._refuse(request)
        if refused is not None:
            return refused
        lang = _lang(request)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        person = (form.get("person") or [""])[-1].strip()
        try:
            found = await run_in_threadpool(self._load, ref)
        except StoreError as err:
            return JSONResponse({"error": str(err)}, status_code=404)
        if person not in found.people:
            known = ", ".join(sorted(found.people)) or "nobody"
            return JSONResponse(
                {
                    "error": f"The 'person' field must name one of the crisis' people ({known}). "
                    f"Got {person!r} instead."
                },
                status_code=422,
            )
        ack = Ack(
            crisis_id=found.status.ref,
            action="checklist_done",
            person=person,
            slack_user=f"page:{person}",
            at=self.runtime.clock.now(),
            item=item,
            request_id=f"page:{found.status.ref}:{item}:{person}:{secrets.token_hex(4)}",
        )
        try:
            outcome = await run_in_threadpool(self.runtime.escalator.on_ack, ack)
        except ShitstormError as err:
            return JSONResponse({"error": str(err)}, status_code=409)
        if outcome.status == "unknown_item":
            return JSONResponse({"error": outcome.message}, status_code=404)
        if outcome.status == "closed":
            return JSONResponse({"error": outcome.message}, status_code=409)
        task = next((c.task for c in found.checklist if c.key == item), item)
        key = "ticked" if outcome.status == "accepted" else "already"
        note = _WORDS[lang][key].format(item=task, who=found.people[person])
        wants_json = "application/json" in request.headers.get("accept", "")
        if wants_json:
            return JSONResponse({"status": outcome.status, "message": note})
        query = urlencode({"lang": lang, "message": note})
        return RedirectResponse(f"/incidents/{found.status.ref}?{query}", status_code=303)


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def page_router(runtime: ServiceRuntime, tokens: Tokens) -> APIRouter:
    """The incident page routes, guarded by ``tokens`` (open when there are none)."""
    pages = _Pages(runtime, tokens)
    router = APIRouter()
    router.add_api_route("/incidents", pages.index, methods=["GET"])
    router.add_api_route("/incidents/{ref}", pages.show, methods=["GET"])
    router.add_api_route("/incidents/{ref}/chart.png", pages.chart, methods=["GET"])
    router.add_api_route("/incidents/{ref}/checklist/{item}", pages.tick, methods=["POST"])
    return router
