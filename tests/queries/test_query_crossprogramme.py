"""The named queries across programmes, on the shipped graph with the invented programmes of tests/invented/
(not real agreements) and the derived graph the build's code computes over both.

Expected answers come from the shipped design (49 commitments, 4 mechanisms) and from the invented programmes'
definition (tests/invented/make_invented.py: which commitment was written after which shipped one), never from
the queries' output.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg import similarity
from coopkg.queries.registry import QueryRegistry
from coopkg.queries.run import run
from invented_programmes import CHINA, JETC, SECOND_SUCCESSOR, SHIPPED, STC, SUCCESSOR, definitions

ID = "https://w3id.org/coopkg/id/"
SHIPPED_COMMITMENTS = 49  # docs/design.md
INVENTED_COMMITMENTS = {
    f"{ID}programme/{slug}": sum(len(section[3]) for section in definition[6])
    for slug, definition in definitions().items()
}

EVERY_COLUMN_ACROSS_PROGRAMMES = {
    "party-commitments": {"party": CHINA},
    "standing-mechanisms": {"minProgrammes": "2"},
    "successor-continues": {"successor": SUCCESSOR},
}


def _values(result: object, name: str) -> list[str]:
    return [row[name].value for row in result.rows]  # type: ignore[attr-defined]


@pytest.mark.parametrize("party", [CHINA, f"{ID}party/denmark"])
def test_a_partys_commitments_in_every_programme(
    invented_store: ox.Store, registry: QueryRegistry, party: str
) -> None:
    result = run(invented_store, registry["party-commitments"], {"party": party})
    programmes = _values(result, "programme")
    expected = {SHIPPED: SHIPPED_COMMITMENTS} | INVENTED_COMMITMENTS
    assert {p: programmes.count(p) for p in dict.fromkeys(programmes)} == expected
    # programme by programme in the order of their periods
    assert list(dict.fromkeys(programmes)) == [SHIPPED, SUCCESSOR, SECOND_SUCCESSOR]
    assert list(dict.fromkeys(_values(result, "begins"))) == ["2023", "2027", "2031"]
    assert all(row["party"].value == party for row in result.rows)


def test_a_party_of_no_programme_has_no_commitments(
    invented_store: ox.Store, registry: QueryRegistry
) -> None:
    assert run(invented_store, registry["party-commitments"], {"party": f"{ID}party/nowhere"}).rows == []


def test_the_shipped_graph_alone_has_one_programme_per_party(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    result = run(shipped_store, registry["party-commitments"], {})
    assert set(_values(result, "programme")) == {SHIPPED}
    assert len(result.rows) == SHIPPED_COMMITMENTS


def test_standing_mechanisms_renewed_and_their_programmes(
    invented_store: ox.Store, registry: QueryRegistry
) -> None:
    result = run(invented_store, registry["standing-mechanisms"], {"minProgrammes": "2"})
    rows = [
        (row["standing"].value, row["programme"].value, row["frequency"].value.rsplit("#", 1)[1])
        for row in result.rows
    ]
    # The commission: shipped 04/item/1 (定期), renewed by both invented programmes (the second 每年);
    # the science and technology committee: shipped 07/prose/4 and the first invented programme.
    assert rows == [
        (JETC, SHIPPED, "Regular"),
        (JETC, SUCCESSOR, "Regular"),
        (JETC, SECOND_SUCCESSOR, "Annual"),
        (STC, SHIPPED, "Regular"),
        (STC, SUCCESSOR, "Regular"),
    ]
    assert [row["programmeCount"].value for row in result.rows] == ["3", "3", "3", "2", "2"]
    assert _values(result, "standingLabelZh")[0] == "中丹双边经贸联委会"


def test_every_shipped_mechanism_holds_a_standing_mechanism(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    result = run(shipped_store, registry["standing-mechanisms"], {})
    held = {row["commitment"].value.removeprefix(SHIPPED + "/section/") for row in result.rows}
    assert held == {"03/prose/3", "04/item/1", "07/prose/4", "08/prose/2"}  # docs/design.md: the 4 mechanisms
    assert run(shipped_store, registry["standing-mechanisms"], {"minProgrammes": "2"}).rows == []


# Which invented commitment was written after which shipped one (make_invented.py), and the unrelated ones.
CONTINUED = {
    (f"{SHIPPED}/section/04/item/1", f"{SUCCESSOR}/section/01/item/1"),
    (f"{SHIPPED}/section/04/item/2", f"{SUCCESSOR}/section/01/item/2"),
    (f"{SHIPPED}/section/05/item/4", f"{SUCCESSOR}/section/02/item/1"),
    (f"{SHIPPED}/section/07/prose/4", f"{SUCCESSOR}/section/02/prose/1"),
}


def test_what_a_successor_continues(invented_store: ox.Store, registry: QueryRegistry) -> None:
    result = run(invented_store, registry["successor-continues"], {"successor": SUCCESSOR})
    pairs = {(row["earlier"].value, row["later"].value) for row in result.rows}
    assert pairs == CONTINUED
    scores = [float(value) for value in _values(result, "score")]
    assert scores == sorted(scores, reverse=True)
    for row in result.rows:
        assert row["predecessor"].value == SHIPPED
        assert row["method"].value == similarity.METHOD
        assert row["attributedTo"].value == f"{ID}agent/coopkg"
        # the stored score is the measure of the two texts (the comparison page computes the same)
        expected = similarity.score(row["earlierTextZh"].value, row["laterTextZh"].value, "zh")
        assert float(row["score"].value) == pytest.approx(expected)
    identical = f"{SUCCESSOR}/section/02/prose/1"  # the committee sentence copied verbatim
    assert next(float(r["score"].value) for r in result.rows if r["later"].value == identical) == 1.0


def test_a_successor_of_a_successor_compares_with_its_own_predecessor(
    invented_store: ox.Store, registry: QueryRegistry
) -> None:
    result = run(invented_store, registry["successor-continues"], {"successor": SECOND_SUCCESSOR})
    assert set(_values(result, "predecessor")) == {SUCCESSOR}
    pairs = {
        (row["earlier"].value.removeprefix(SUCCESSOR), row["later"].value.removeprefix(SECOND_SUCCESSOR))
        for row in result.rows
    }
    assert pairs == {
        ("/section/01/item/1", "/section/01/item/1"),
        ("/section/01/item/2", "/section/01/prose/1"),
    }
    # 极地科学考察 and 公共卫生 share only the frame 双方将在……领域开展交流: no pair
    assert f"{SECOND_SUCCESSOR}/section/02/prose/1" not in _values(result, "later")


def test_the_shipped_programme_has_nothing_to_compare(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    # Its predecessor (2017-2020) is named, not described: no commitments, so no pairs.
    assert run(shipped_store, registry["successor-continues"], {}).rows == []


@pytest.mark.parametrize(("name", "params"), EVERY_COLUMN_ACROSS_PROGRAMMES.items())
def test_every_projected_column_is_bound_somewhere(
    invented_store: ox.Store, registry: QueryRegistry, name: str, params: dict[str, str]
) -> None:
    result = run(invented_store, registry[name], params)
    assert result.rows
    assert [c for c in result.variables if all(c not in row for row in result.rows)] == []
