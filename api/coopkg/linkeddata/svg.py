"""The two pictures of the home page, drawn on the server as inline SVG (no JavaScript, no image files).

- `heatmap`: cooperation areas (rows) × the 17 SDG goals (columns, in the official SDG colours); a cell's
  strength is how many of the area's commitments are aligned to the goal or one of its targets.
- `diagram`: how the programme's sections lead to its cooperation areas and those to the frameworks their
  commitments cite.

Every label is escaped; every mark carries a <title> (what a screen reader or a hover shows).
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from markupsafe import Markup, escape

from coopkg.linkeddata.catalogue import Catalogue, Commitment
from coopkg.rdf.namespaces import SDG, local_href

# The official SDG colours (UN Department of Global Communications, SDG guidelines), goals 1-17.
SDG_COLOURS: dict[int, str] = {
    1: "#E5243B", 2: "#DDA63A", 3: "#4C9F38", 4: "#C5192D", 5: "#FF3A21", 6: "#26BDE2",
    7: "#FCC30B", 8: "#A21942", 9: "#FD6925", 10: "#DD1367", 11: "#FD9D24", 12: "#BF8B2E",
    13: "#3F7E44", 14: "#0A97D9", 15: "#56C02B", 16: "#00689D", 17: "#19486A",
}  # fmt: skip
GOALS = tuple(range(1, 18))
_FONT = 13


def _luminance(red: float, green: float, blue: float) -> float:
    """WCAG relative luminance of an sRGB colour (channels 0-1)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def ink_for(colour: str, opacity: float) -> str:
    """White or near-black text, whichever contrasts more with `colour` laid at `opacity` over white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (1 - opacity + opacity * c for c in channels)
    background = _luminance(red, green, blue)
    dark = _luminance(0x11 / 255, 0x18 / 255, 0x27 / 255)
    white_contrast = 1.05 / (background + 0.05)
    dark_contrast = (background + 0.05) / (dark + 0.05)
    return "#fff" if white_contrast > dark_contrast else "#111827"


def text_width(text: str, size: float = _FONT) -> float:
    """Approximate rendered width: wide (CJK) characters one em, others about half of one."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.56 for ch in text)


def fit(text: str, width: float, size: float = _FONT) -> str:
    """`text` cut with "…" to fit `width` pixels."""
    if text_width(text, size) <= width:
        return text
    kept = ""
    for char in text:
        if text_width(kept + char + "…", size) > width:
            break
        kept += char
    return kept + "…"


def programme_commitments(catalogue: Catalogue, programme: str) -> list[Commitment]:
    return catalogue.of_programme(programme)


def programme_areas(catalogue: Catalogue, programme: str) -> list[str]:
    """The programme's areas (its own and those its commitments use): priority areas first (in list order),
    then the others. Known without the programme's commitments (from the links)."""
    directory = catalogue.directory
    areas = catalogue.links.things("area", programme) | directory.own_areas(programme)
    listed = [
        iri for iri in areas if (thing := directory.things.get(iri)) is not None and thing.kind == "area"
    ]
    return sorted(listed, key=lambda iri: directory.position("area", iri))


def heatmap_counts(catalogue: Catalogue, programme: str) -> Counter[tuple[str, int]]:
    counts: Counter[tuple[str, int]] = Counter()
    for commitment in programme_commitments(catalogue, programme):
        for area in commitment.areas:
            for goal in commitment.goals:
                counts[area, goal] += 1
    return counts


def heatmap(catalogue: Catalogue, programme: str, lang: str, title_id: str = "heatmap-title") -> Markup:
    """The area x goal heatmap; `title_id` keeps the <title> id unique when a page shows two."""
    areas = programme_areas(catalogue, programme)
    counts = heatmap_counts(catalogue, programme)
    most = max(counts.values(), default=1)
    label_width, cell, head = 340, 32, 44
    width = label_width + cell * len(GOALS) + 2
    height = head + cell * len(areas) + 2
    title = "合作领域 × 可持续发展目标" if lang == "zh" else "Cooperation areas × SDG goals"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id}" lang="{lang}" '
        f'font-family="system-ui, \'Noto Sans CJK SC\', sans-serif" font-size="{_FONT}">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    for index, goal in enumerate(GOALS):
        x = label_width + index * cell
        name = catalogue.label(f"{SDG}{goal}", lang)
        parts.append(
            f'<a href="/sdg/{goal}?lang={lang}" class="goal-column" data-goal="{goal}">'
            f"<title>SDG {goal}: {escape(name)}</title>"
            f'<rect x="{x + 1}" y="4" width="{cell - 2}" height="{head - 8}" rx="3" '
            f'fill="{SDG_COLOURS[goal]}"/>'
            f'<text x="{x + cell / 2}" y="{head / 2 + 5}" text-anchor="middle" '
            f'fill="{ink_for(SDG_COLOURS[goal], 1)}" '
            f'font-weight="700">{goal}</text></a>'
        )
    for row, area in enumerate(areas):
        y = head + row * cell
        name = catalogue.label(area, lang)
        parts.append(
            f'<a href="{escape(local_href(area))}?lang={lang}"><title>{escape(name)}</title>'
            f'<text x="{label_width - 8}" y="{y + cell / 2 + 5}" text-anchor="end" fill="#1f2937">'
            f"{escape(fit(name, label_width - 12))}</text></a>"
        )
        for index, goal in enumerate(GOALS):
            x = label_width + index * cell
            count = counts.get((area, goal), 0)
            if count:
                opacity = 0.25 + 0.75 * count / most
                ink = ink_for(SDG_COLOURS[goal], opacity)
                unit = "条承诺" if lang == "zh" else (" commitment" if count == 1 else " commitments")
                parts.append(
                    f'<g class="cell" data-goal="{goal}" data-count="{count}">'
                    f"<title>{escape(name)} · SDG {goal}: {count}{unit}</title>"
                    f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="3" '
                    f'fill="{SDG_COLOURS[goal]}" fill-opacity="{opacity:.2f}"/>'
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" fill="{ink}">'
                    f"{count}</text></g>"
                )
            else:
                parts.append(
                    f'<rect class="empty" x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" '
                    f'rx="3" fill="#f3f4f6"/>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute value above went through escape()


def diagram_edges(
    catalogue: Catalogue, programme: str
) -> tuple[set[tuple[str, str]], Counter[tuple[str, str]]]:
    """(section -> area) links, and (area -> framework) links weighted by how many commitments make them."""
    sections = [t for t in catalogue.of_kind("section") if t.part_of == programme]
    section_area = {(s.iri, area) for s in sections for area in s.areas}
    area_framework: Counter[tuple[str, str]] = Counter()
    for commitment in programme_commitments(catalogue, programme):
        for area in commitment.areas:
            for framework in commitment.frameworks:
                area_framework[area, framework] += 1
    return section_area, area_framework


def diagram(catalogue: Catalogue, programme: str, lang: str) -> Markup:
    section_area, area_framework = diagram_edges(catalogue, programme)
    sections = sorted({s for s, _ in section_area}, key=lambda iri: (catalogue.things[iri].order or 0, iri))
    # Areas in the order of the first section that leads to them, so that links rarely cross.
    first_section: dict[str, int] = {}
    for section in sections:
        for linked_section, area in sorted(section_area):
            if linked_section == section:
                first_section.setdefault(area, sections.index(section))
    areas = sorted(first_section, key=lambda iri: (first_section[iri], iri))
    frameworks = sorted({f for _, f in area_framework}, key=lambda iri: catalogue.label(iri, lang))
    columns = [sections, areas, frameworks]
    box_w, box_h, gap, col_gap, top = 270, 26, 8, 80, 34
    rows = max(len(column) for column in columns) or 1
    height = top + rows * (box_h + gap) + 4
    width = 3 * box_w + 2 * col_gap + 4
    position: dict[tuple[int, str], tuple[float, float]] = {}
    for col, column in enumerate(columns):
        offset = top + (rows - len(column)) * (box_h + gap) / 2  # centre shorter columns
        for index, iri in enumerate(column):
            position[col, iri] = (2 + col * (box_w + col_gap), offset + index * (box_h + gap))
    heads = (
        ("章节", "合作领域", "引用的框架")
        if lang == "zh"
        else ("Sections", "Cooperation areas", "Frameworks cited")
    )
    title = "章节、合作领域与框架的关系" if lang == "zh" else "How sections, areas and frameworks connect"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="diagram-title" lang="{lang}" '
        f'font-family="system-ui, \'Noto Sans CJK SC\', sans-serif" font-size="12">',
        f'<title id="diagram-title">{escape(title)}</title>',
    ]
    for col, head in enumerate(heads):
        x = 2 + col * (box_w + col_gap) + box_w / 2
        parts.append(
            f'<text x="{x}" y="18" text-anchor="middle" font-weight="700" fill="#111827">{head}</text>'
        )
    edges: list[tuple[int, str, str, int]] = [(0, s, a, 1) for s, a in sorted(section_area)]
    edges += [(1, a, f, n) for (a, f), n in sorted(area_framework.items())]
    for col, source, target, weight in edges:
        if (col, source) not in position or (col + 1, target) not in position:
            continue
        x1, y1 = position[col, source]
        x2, y2 = position[col + 1, target]
        x1, y1, y2 = x1 + box_w, y1 + box_h / 2, y2 + box_h / 2
        middle = (x1 + x2) / 2
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
            f'fill="none" stroke="#64748b" stroke-opacity="0.55" stroke-width="{min(1 + weight, 6)}"/>'
        )
    fills = ("#e0f2fe", "#dcfce7", "#fef3c7")
    for (col, iri), (x, y) in position.items():
        name = catalogue.label(iri, lang)
        parts.append(
            f'<a href="{escape(local_href(iri))}?lang={lang}"><title>{escape(name)}</title>'
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="5" fill="{fills[col]}" '
            f'stroke="#94a3b8"/>'
            f'<text x="{x + 8}" y="{y + box_h / 2 + 4}" fill="#111827">'
            f"{escape(fit(name, box_w - 16, 12))}</text></a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute value above went through escape()


def goal_counts(catalogue: Catalogue) -> dict[int, int]:
    """Commitments aligned to each goal (or one of its targets), all programmes (from the links)."""
    return {goal: catalogue.links.count("goal", f"{SDG}{goal}") for goal in GOALS}
