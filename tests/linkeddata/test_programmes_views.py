"""The view models across programmes (coopkg.linkeddata.programmes), built from a hand-made catalogue: no
store, no HTTP."""

from __future__ import annotations

import pytest

from coopkg.errors import InvalidParameter, NotFound
from coopkg.linkeddata.catalogue import Catalogue, Commitment, Programme
from coopkg.linkeddata.programmes import (
    comparison_view,
    party_view,
    programme_summaries,
    standing_mechanism_view,
)

ID = "https://w3id.org/coopkg/id/"
A, B, C = (f"{ID}programme/{slug}" for slug in ("a-2020", "b-2024", "c-2028"))
CHINA, DENMARK, KENYA = (f"{ID}party/{name}" for name in ("china", "denmark", "kenya"))
COMMISSION = f"{ID}mechanism/joint-commission"


def _commitment(
    programme: str, n: int, text: str, lang: str = "zh", en: str | None = None, **more: object
) -> Commitment:
    return Commitment(
        iri=f"{programme}/section/01/item/{n}",
        programme=programme,
        section=f"{programme}/section/01",
        section_order=1,
        order=n,
        notation=None,
        text=text,
        text_en=en,
        mechanism=bool(more.get("standing")),
        frequency=None,
        stated_as=None,
        areas=(),
        frameworks=(),
        agencies=(),
        standing=more.get("standing"),  # type: ignore[arg-type]
        text_lang=lang,
    )


@pytest.fixture
def catalogue() -> Catalogue:
    commitments = [
        _commitment(
            A, 1, "定期举行双边经贸联委会。", en="Hold the joint commission regularly.", standing=COMMISSION
        ),
        _commitment(A, 2, "有机食品和农业。", en="Organic food and farming."),
        _commitment(B, 1, "每年举行双边经贸联委会。", standing=COMMISSION),
        # an English programme: compared through A's English renderings
        _commitment(C, 1, "Hold the joint commission every year.", lang="en", standing=COMMISSION),
        _commitment(C, 2, "Cooperate on organic food and farming.", lang="en"),
    ]
    programmes = {
        A: Programme(A, "2020", "2023", (CHINA, DENMARK), None, None, None, None),
        B: Programme(B, "2024", "2027", (CHINA, DENMARK), A, None, None, None),
        C: Programme(C, "2028", "2031", (CHINA, KENYA), B, None, None, None),
        f"{ID}programme/named-only": Programme(
            f"{ID}programme/named-only", "2010", "2013", (KENYA,), None, None, None, None
        ),
    }
    return Catalogue(commitments, {}, {}, {}, programmes)


def test_summaries_in_period_order_with_successors_and_comparison_links(catalogue: Catalogue) -> None:
    summaries = programme_summaries(catalogue, "en")
    assert [s.slug for s in summaries] == ["a-2020", "b-2024", "c-2028"]
    assert [link.iri for link in summaries[0].successors] == [B]
    assert summaries[0].compare_href is None  # no predecessor
    assert summaries[1].compare_href == "/compare?a=a-2020&b=b-2024&lang=en"
    assert (summaries[1].commitments, summaries[1].mechanisms) == (1, 1)


def test_a_party_lists_described_programmes_and_names_the_others(catalogue: Catalogue) -> None:
    view = party_view(catalogue, KENYA, "en")
    assert [entry.programme.link.iri for entry in view.programmes] == [C]
    assert view.commitments == 2
    assert [link.iri for link in view.named_only] == [f"{ID}programme/named-only"]


def test_a_standing_mechanism_lists_its_holders_by_period(catalogue: Catalogue) -> None:
    view = standing_mechanism_view(catalogue, COMMISSION, "zh")
    assert [entry.programme.link.iri for entry in view.programmes] == [A, B, C]
    assert view.commitments == 3


def test_comparison_matches_in_chinese_and_shares_mechanisms_and_parties(catalogue: Catalogue) -> None:
    view = comparison_view(catalogue, "a-2020", "b-2024", "en")
    assert [(m.left.iri, m.right.iri) for m in view.matches] == [
        (f"{A}/section/01/item/1", f"{B}/section/01/item/1")
    ]
    match = view.matches[0]
    assert match.lang == "zh"
    assert match.same_mechanism is not None
    assert match.same_mechanism.iri == COMMISSION
    assert [standing.iri for standing, _, _ in view.shared_mechanisms] == [COMMISSION]
    assert {p.iri for p in view.shared_parties} == {CHINA, DENMARK}
    assert (view.unmatched_left, view.unmatched_right) == (1, 0)


def test_comparison_with_an_english_programme_uses_the_renderings(catalogue: Catalogue) -> None:
    view = comparison_view(catalogue, A, C, "en")  # IRIs work as well as slugs
    pairs = {(m.left.iri.rsplit("/", 1)[1], m.right.iri.rsplit("/", 1)[1], m.lang) for m in view.matches}
    assert pairs == {("1", "1", "en"), ("2", "2", "en")}
    assert {p.iri for p in view.shared_parties} == {CHINA}


@pytest.mark.parametrize(
    ("a", "b", "error"),
    [
        ("a-2020", "a-2020", InvalidParameter),
        ("", "a-2020", InvalidParameter),
        ("a-2020", "named-only", NotFound),
    ],
)
def test_comparison_refuses_what_it_cannot_compare(
    catalogue: Catalogue, a: str, b: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        comparison_view(catalogue, a, b, "en")
