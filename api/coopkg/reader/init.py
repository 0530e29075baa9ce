"""`coopkg programme init`: check the input, read the text, write the scaffold, overwriting nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.reader.lines import read_source
from coopkg.reader.model import Document
from coopkg.reader.parser import parse_text
from coopkg.reader.scaffold import ID, Scaffold, scaffold

COOP_PARTY = ox.NamedNode("https://w3id.org/coopkg/def#Party")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class InitResult:
    document: Document
    scaffold: Scaffold
    source_copy: Path
    programme_ttl: Path
    prose_ttl: Path
    slug: str


def init_programme(source: Path, slug: str, data_dir: Path, language: str | None) -> InitResult:
    """Read SOURCE, write data_dir/sources/<slug>.txt and data_dir/programmes/<slug>/*.ttl (all new files)."""
    if not source.is_file():
        raise UnusableInput(f"{source}: no such file; give the path of the programme's text (UTF-8)")
    raw = read_source(source)
    if not raw.strip():
        raise UnusableInput(f"{source}: the file is empty; expected the programme's text")
    folder = data_dir / "programmes" / slug
    copy = data_dir / "sources" / f"{slug}{source.suffix or '.txt'}"
    if folder.exists():
        raise UnusableInput(
            f"{folder}: the slug {slug!r} is taken; choose another --slug (nothing was written)"
        )
    if copy.exists():
        raise UnusableInput(
            f"{copy}: a source text of that name exists; choose another --slug (nothing was written)"
        )
    document = parse_text(source, raw, language=language)
    items = sum(len(section.items) for section in document.sections)
    paragraphs = sum(len(section.paragraphs) for section in document.sections)
    if len(document.sections) < 2 and items == 0:
        raise UnusableInput(
            f"{source}: no structure found ({len(document.sections)} heading, {paragraphs} paragraphs, no "
            "items); a programme text needs headings (short lines without closing punctuation) or "
            "enumerated items"
        )
    source_file = f"sources/{copy.name}"
    result = scaffold(document, slug, source_file, _described_parties(data_dir))
    copy.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True)
    # newline="" and the exact string read: the copy is the source, code point for code point
    with copy.open("x", encoding="utf-8", newline="") as handle:
        handle.write(raw)
    (folder / "programme.ttl").write_text(result.programme_ttl, encoding="utf-8")
    (folder / "prose.ttl").write_text(result.prose_ttl, encoding="utf-8")
    return InitResult(document, result, copy, folder / "programme.ttl", folder / "prose.ttl", slug)


def _described_parties(data_dir: Path) -> set[str]:
    """Party IRIs the data folder's curated layer already describes."""
    found: set[str] = set()
    for path in sorted((data_dir / "curated").glob("*.ttl")):
        try:
            quads = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
            found.update(q.subject.value for q in quads if q.predicate == RDF_TYPE and q.object == COOP_PARTY)
        except (SyntaxError, OSError):
            continue  # `coopkg build` reports a broken curated file with its line; init only looks
    return found


def summary(result: InitResult) -> str:
    """What was found and written, to compare with the document."""
    doc, found = result.document, result.scaffold
    items = [item for section in doc.sections for item in section.items]
    paragraphs = [p for section in doc.sections for p in section.paragraphs]
    lines = [
        f"read {doc.path}: {doc.typography} typography, language {doc.language}"
        + (f", {len(doc.furniture)} page-furniture lines left out" if doc.furniture else ""),
        f"title:      {found.title}",
        "period:     "
        + (f"{found.period[0]}–{found.period[1]}" if found.period else "not found (add coop:period)"),
        f"sections:   {len(doc.sections)}",
    ]
    for number, section in enumerate(doc.sections, start=1):
        indent = "  " * section.level
        area = f"  -> area {found.section_areas[number]}" if number in found.section_areas else ""
        lines.append(
            f"  {number:02d}{indent}{section.heading.text}  "
            f"({len(section.paragraphs)} paragraphs, {len(section.items)} items){area}"
        )
    nested = sum(1 for item in items if item.parent is not None)
    numbered = sum(1 for p in paragraphs if p.notation is not None)
    lines += [
        f"items:      {len(items)} ({nested} nested), each a commitment",
        f"paragraphs: {len(paragraphs)} ({numbered} numbered)",
        f"priority areas: {len(found.areas)}" + (f" ({'; '.join(found.areas)})" if found.areas else ""),
        f"candidate parties: {len(found.parties)}"
        + (
            " (" + ", ".join(f"{p.name} -> id:party/{p.slug}" for p in found.parties) + ")"
            if found.parties
            else ""
        ),
        f"candidate mechanisms: {len(found.mechanisms)}",
    ]
    for m in found.mechanisms:
        lines.append(f"  section/{m.section:02d}/{m.kind}/{m.index}  {m.words!r} -> coop:{m.frequency}")
    lines += [
        f"wrote {result.source_copy}",
        f"wrote {result.programme_ttl}",
        f"wrote {result.prose_ttl}",
        "next: check the facts marked coop:unreviewed, then run "
        f"`coopkg build --source-dir {result.source_copy.parent.parent}`",
    ]
    return "\n".join(lines)


__all__ = ["ID", "InitResult", "init_programme", "summary"]
