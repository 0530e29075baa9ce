"""The HTTP helpers every route shares: the request-body limit, conditional GET, and the names of the
headers that announce a cut-off answer and paging (all exposed to other origins through CORS, app.py).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

from fastapi import Request

from coopkg.errors import PayloadTooLarge

# An answer cut at the row limit says so, on /sparql and /api alike: `Coopkg-Results-Truncated: true` and
# `Coopkg-Results-Limit: <rows>` (COOPKG_MAX_ROWS). Never silent.
TRUNCATED = "Coopkg-Results-Truncated"
ROW_LIMIT = "Coopkg-Results-Limit"
# Paged lists (/api/commitments, ...): the number of items on all pages; `Link` has first/prev/next/last.
TOTAL_COUNT = "X-Total-Count"


def truncation_headers(truncated: bool, limit: int) -> dict[str, str]:
    """The headers of an answer that was (or was not) cut at `limit` rows."""
    return {TRUNCATED: "true", ROW_LIMIT: str(limit)} if truncated else {}


async def read_body(request: Request, limit: int) -> bytes:
    """The whole request body; PayloadTooLarge (413) as soon as it declares or streams more than `limit`."""
    declared = request.headers.get("content-length")
    # ASCII digits only ("²" passes isdigit() but not int()); a number too long for int() is too large anyway.
    if (
        declared
        and declared.isascii()
        and declared.isdigit()
        and (len(declared) > 18 or int(declared) > limit)
    ):
        raise PayloadTooLarge(
            f"The body declares {declared} bytes; this endpoint takes at most {limit} (COOPKG_MAX_BODY)."
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(
                f"The body is larger than {limit} bytes, the most this endpoint takes (COOPKG_MAX_BODY)."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def not_modified(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str,
    last_modified: datetime | str | None = None,
) -> bool:
    """Whether a GET may be answered 304 (RFC 9110 13.1): If-None-Match, compared weakly (`W/` ignored, `*`
    matches), decides when present; otherwise If-Modified-Since against `last_modified` (a datetime or an
    HTTP date). An unreadable date is ignored, as 13.1.3 says."""
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    if if_modified_since is None or last_modified is None:
        return False
    try:
        modified = parsedate_to_datetime(last_modified) if isinstance(last_modified, str) else last_modified
        # HTTP dates have whole seconds: the data's own time is compared at that precision.
        return bool(modified.replace(microsecond=0) <= parsedate_to_datetime(if_modified_since))
    except (TypeError, ValueError):
        return False
