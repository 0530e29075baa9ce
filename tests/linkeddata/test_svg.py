"""The pictures' data: the diagram's links follow the design's section -> area table and the frameworks the
commitments cite; labels are fitted and escaped."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from coopkg.linkeddata import catalogue_reading as catalogues
from coopkg.linkeddata.svg import diagram, diagram_edges, fit, heatmap, text_width
from coopkg.store.inprocess import InProcessStore

Runner = Callable[[Coroutine[Any, Any, Any]], Any]

P = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026"
# docs/design.md, "The first programme": section -> area.
DESIGN = {
    "02": "general",
    "03": "high-level-dialogue",
    "04": "6",
    "05": "1",
    "06": "2",
    "07": "7",
    "08": "ip",
    "09": "3",
    "10": "4",
    "11": "tourism",
    "12": "5",
}


def test_diagram_links_follow_the_design(memory_store: InProcessStore, run_async: Runner) -> None:
    catalogue = run_async(catalogues.load(memory_store))
    section_area, area_framework = diagram_edges(catalogue, P)
    assert section_area == {(f"{P}/section/{n}", f"{P}/area/{a}") for n, a in DESIGN.items()}
    # 10/item/3 cites One Health and sits in area 4 (design table).
    assert area_framework[f"{P}/area/4", "https://w3id.org/coopkg/id/framework/one-health"] == 1
    assert area_framework[f"{P}/area/general", "https://w3id.org/coopkg/id/framework/2030-agenda"] == 2
    svg = str(diagram(catalogue, P, "zh"))
    assert svg.count("<path ") == len(section_area) + len(area_framework)
    assert "同一健康" in svg


def test_labels_are_fitted_and_escaped(memory_store: InProcessStore, run_async: Runner) -> None:
    assert fit("气候和能源", 1000) == "气候和能源"
    cut = fit("一二三四五六七八九十", 60)
    assert cut.endswith("…")
    assert text_width(cut) <= 60
    catalogue = run_async(catalogues.load(memory_store))
    catalogue.labels[f"{P}/area/1"] = {"en": "<script>alert(1)</script>"}
    svg = str(heatmap(catalogue, P, "en"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
