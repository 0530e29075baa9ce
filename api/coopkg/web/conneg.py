"""The one content-negotiation helper: RFC 9110 Accept with q-values, wildcards and specificity, plus a
`format=` override (a short name or a media type), so every router negotiates the same way.

    chosen = negotiate(request.headers.get("accept"), ["text/turtle", "application/ld+json"], fmt)

The first offer wins ties, so routers list their preferred representation first. When nothing is acceptable
the caller gets `NotAcceptable` (406) naming what is available.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coopkg.errors import NotAcceptable

# Short names accepted by `format=` (what SPARQL endpoints and browsers' links commonly use).
FORMAT_ALIASES: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "owl": "application/rdf+xml",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "html": "text/html",
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...]

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        return self.type == main and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        # */* < type/* < type/subtype < type/subtype;param (RFC 9110 §12.5.1).
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything. Malformed ranges
    (no slash, a bad q) are skipped rather than failing the request, as RFC 9110 lets servers do."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0, ())]
    ranges: list[MediaRange] = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        media = pieces[0].lower()
        if media == "*":  # some old clients send a bare star
            media = "*/*"
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        valid = True
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            name = name.strip().lower()
            value = value.strip().strip('"')
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    valid = False
                if not 0.0 <= q <= 1.0:
                    valid = False
                break  # parameters after q are accept-extensions, not media-type parameters
            if name:
                params.append((name, value))
        if valid:
            ranges.append(MediaRange(main, sub, q, tuple(params)))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the most specific matching range gives `media_type` (0 when none matches)."""
    best: MediaRange | None = None
    for media_range in ranges:
        # A range with parameters other than charset only matches an offer with those parameters: we offer
        # none, so such ranges (e.g. `text/turtle;profile=x`) are ignored except for charset.
        if any(name != "charset" for name, _ in media_range.params):
            continue
        if media_range.matches(media_type) and (best is None or media_range.specificity > best.specificity):
            best = media_range
    return best.q if best is not None else 0.0


def resolve_format(fmt: str, offers: Sequence[str]) -> str:
    """The offer a `format=` value names: a short name (`json`, `ttl`, ...) or a media type."""
    wanted = FORMAT_ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    for offer in offers:
        if offer == wanted:
            return offer
    names = sorted({name for name, media in FORMAT_ALIASES.items() if media in offers})
    raise NotAcceptable(
        f"format={fmt!r} is not available here; use one of {', '.join(names)} "
        f"(or a media type: {', '.join(offers)})."
    )


def negotiate(accept: str | None, offers: Sequence[str], fmt: str | None = None) -> str:
    """The offer to send for this Accept header (or `format=` override), first offer winning ties."""
    if not offers:
        raise ValueError("negotiate() needs at least one offer")
    if fmt:
        return resolve_format(fmt, offers)
    ranges = parse_accept(accept)
    best_offer, best_q = offers[0], 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best_offer, best_q = offer, q
    if best_q <= 0.0:
        raise NotAcceptable(
            f"Nothing here matches Accept: {accept}. Available: {', '.join(offers)} "
            "(or add ?format=json, ttl, ... to the URL)."
        )
    return best_offer


def prefers_html(accept: str | None) -> bool:
    """True when a browser asks: text/html is acceptable and preferred at least as much as anything else."""
    ranges = parse_accept(accept)
    html = quality([r for r in ranges if r.type != "*"], "text/html")
    return html > 0 and all(r.q <= html for r in ranges)
