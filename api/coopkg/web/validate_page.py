"""The steward's validation page (`GET /validate`, and `POST /validate` from a browser): a form to upload a
file or paste Turtle, and the report as tables grouped by severity and shape, in Chinese or English.

A plain HTML form (multipart POST): it works without JavaScript. Focus nodes link to their pages on this
gateway (our IRIs become local paths; others stay as they are).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from coopkg.errors import CoopkgError
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.site import base_context
from coopkg.rdf.namespaces import local_href
from coopkg.validation.inputs import FORMATS
from coopkg.web.dependencies import LANG_COOKIE, PAGE_CSP, page_address, page_lang, settings, site

SEVERITIES = ("violation", "warning", "info")


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Row:
    focus: Cell
    path: str
    value: str
    message: str


@dataclass(frozen=True)
class ShapeGroup:
    shape: str
    message: str
    rows: list[Row]


@dataclass(frozen=True)
class SeverityGroup:
    severity: str
    count: int
    shapes: list[ShapeGroup]


def _message(result: dict[str, Any], lang: Lang) -> str:
    """The result's message in `lang` (as coopkg.validation.report.Result.message chooses it)."""
    from coopkg.validation.report import Message, Result

    messages = tuple(Message(m["text"], m["language"]) for m in result["messages"])
    chosen = Result("", "", None, None, messages, "", "").message(lang)
    return chosen or str(result.get("message") or "")


def _focus(node: str) -> Cell:
    from coopkg.validation.render import shorten

    if node.startswith("_:"):  # a blank node has no page
        return Cell(node)
    return Cell(shorten(node), local_href(node))


def report_groups(summary: dict[str, Any], lang: Lang) -> list[SeverityGroup]:
    """The results by severity (most severe first), then by shape (in the report's order)."""
    from coopkg.validation.render import shorten

    groups = []
    for severity in SEVERITIES:
        results = [r for r in summary["results"] if r["severity"] == severity]
        shapes = []
        for shape, members in groupby(results, key=lambda r: str(r["sourceShape"])):
            listed = list(members)
            rows = [
                Row(_focus(r["focusNode"]), shorten(r["path"]), shorten(r["value"]), _message(r, lang))
                for r in listed
            ]
            shapes.append(ShapeGroup(shorten(shape), _message(listed[0], lang), rows))
        if shapes:
            groups.append(SeverityGroup(severity, len(results), shapes))
    return groups


def render_page(
    request: Request,
    *,
    summary: dict[str, Any] | None = None,
    source: str | None = None,
    error: CoopkgError | None = None,
) -> HTMLResponse:
    lang = page_lang(request)
    context = base_context(page_address(request), lang) | {
        "formats": [(fmt.name, ", ".join(fmt.extensions)) for fmt in FORMATS],
        "max_upload_mb": f"{settings(request).max_upload / 1024 / 1024:.3g}",
        "error": error,
        "summary": summary,
        "source": source,
        "groups": report_groups(summary, lang) if summary is not None else [],
    }
    body = site(request).render("validate.html", context)
    headers = {"Vary": "Cookie, Accept", "Content-Security-Policy": PAGE_CSP}
    if error is not None:
        headers |= error.headers
    response = HTMLResponse(body, status_code=error.status if error is not None else 200, headers=headers)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
