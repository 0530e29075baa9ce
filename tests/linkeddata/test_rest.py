"""REST for apps: resources with filters, sorting, paging and errors; every named query as an endpoint with
typed, validated parameters bound as values; all of it in the OpenAPI schema."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from coopkg.queries import default_registry

ID = "https://w3id.org/coopkg/id/"
P = "programme/cn-dk-green-2023-2026"
SDG = "http://metadata.un.org/sdg/"


def all_commitments(client: TestClient, **params: str) -> list[dict[str, object]]:
    answer = client.get("/api/commitments", params={"per_page": "200", **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]  # type: ignore[no-any-return]


def named_rows(client: TestClient, name: str, **params: str) -> list[dict[str, dict[str, str]]]:
    answer = client.get(f"/api/queries/{name}", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]["bindings"]  # type: ignore[no-any-return]


def test_commitments_list_has_the_49_of_the_design(client: TestClient) -> None:
    answer = client.get("/api/commitments", params={"per_page": "200"})
    document = answer.json()
    assert document["total"] == 49
    assert answer.headers["x-total-count"] == "49"
    assert len({item["id"] for item in document["items"]}) == 49
    mechanisms = {item["key"] for item in document["items"] if item["mechanism"]}
    assert mechanisms == {
        f"{P}/section/03/prose/3",
        f"{P}/section/04/item/1",
        f"{P}/section/07/prose/4",
        f"{P}/section/08/prose/2",
    }
    first = document["items"][0]
    assert first["key"].startswith(f"{P}/section/02/")  # document order: section 01 has no commitments
    assert first["englishOfficial"] is False


def test_paging_with_link_headers(client: TestClient) -> None:
    answer = client.get("/api/commitments", params={"per_page": "10", "page": "2", "sdg": "17"})
    total = answer.json()["total"]
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', answer.headers["link"])}
    expected = {"first", "prev", "next", "last"} if total > 20 else {"first", "prev", "last"}
    assert set(links) == expected
    assert "sdg=17" in links["first"]
    assert "page=1" in links["first"]
    last = client.get(links["last"]).json()
    assert len(last["items"]) == total - 10 * (last["page"] - 1)
    pages = [
        client.get("/api/commitments", params={"per_page": "7", "page": str(n)}).json() for n in range(1, 9)
    ]
    keys = [item["key"] for page in pages for item in page["items"]]
    assert len(keys) == 49
    assert len(set(keys)) == 49


@pytest.mark.parametrize("goal", ["6", "13", "17", "6.3", "14.1"])
def test_sdg_filter_agrees_with_the_named_query(client: TestClient, goal: str) -> None:
    ours = {item["id"] for item in all_commitments(client, sdg=goal)}
    theirs = {row["commitment"]["value"] for row in named_rows(client, "commitments-by-sdg", sdg=SDG + goal)}
    assert ours == theirs
    assert ours == {item["id"] for item in all_commitments(client, sdg=SDG + goal)}


@pytest.mark.parametrize("area", ["1", "2", "6", "ip", "general"])
def test_area_filter_agrees_with_the_named_query(client: TestClient, area: str) -> None:
    iri = f"{ID}{P}/area/{area}"
    ours = {item["id"] for item in all_commitments(client, area=iri)}
    assert ours == {item["id"] for item in all_commitments(client, area=f"{P}/area/{area}")}
    theirs = {row["commitment"]["value"] for row in named_rows(client, "commitments-by-area", area=iri)}
    assert ours == theirs
    assert ours


@pytest.mark.parametrize("text", ["水", "water", "联合国", "Paris"])
def test_text_search_agrees_with_the_named_query(client: TestClient, text: str) -> None:
    ours = {item["id"] for item in all_commitments(client, q=text)}
    theirs = {row["commitment"]["value"] for row in named_rows(client, "text-search", text=text)}
    assert ours == theirs
    assert ours


def test_other_filters(client: TestClient) -> None:
    assert len(all_commitments(client, mechanism="true")) == 4
    assert len(all_commitments(client, mechanism="false")) == 45
    section = all_commitments(client, section=f"{P}/section/04")
    assert {item["key"] for item in section} >= {f"{P}/section/04/item/1", f"{P}/section/04/item/2"}
    paris = all_commitments(client, framework="framework/paris-agreement")
    assert {item["key"] for item in paris} >= {f"{P}/section/02/prose/3", f"{P}/section/05/prose/2"}
    combined = all_commitments(client, sdg="17", mechanism="true")
    assert combined
    assert all(item["mechanism"] and 17 in {a["goal"] for a in item["alignments"]} for item in combined)


def test_sorting(client: TestClient) -> None:
    forward = [item["key"] for item in all_commitments(client, sort="document")]
    backward = [item["key"] for item in all_commitments(client, sort="-document")]
    assert backward == forward[::-1]
    by_goals = all_commitments(client, sort="-goals")
    counts = [len({a["goal"] for a in item["alignments"] if a["goal"]}) for item in by_goals]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"sdg": "18"}, "sdg"),
        ({"sdg": "6.3 } UNION {"}, "sdg"),
        ({"area": "a b"}, "area"),
        ({"sort": "price"}, "sort"),
        ({"page": "0"}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"mechanism": "perhaps"}, "mechanism"),
        ({"q": "   "}, "q"),
    ],
)
def test_bad_filters_are_422_problems(client: TestClient, params: dict[str, str], names: str) -> None:
    answer = client.get("/api/commitments", params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert names in answer.json()["detail"]


def test_commitments_csv(client: TestClient) -> None:
    answer = client.get("/api/commitments", headers={"Accept": "text/csv"}, params={"sdg": "6"})
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) == len(all_commitments(client, sdg="6"))
    assert all("6" in row["sdg_goals"].split() for row in rows)
    download = client.get("/downloads/commitments.csv")
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == 49


def test_one_commitment_as_jsonld(client: TestClient) -> None:
    answer = client.get(f"/api/commitments/{P}/section/06/item/4")
    assert answer.status_code == 200
    document = answer.json()
    assert document["@id"] == f"{ID}{P}/section/06/item/4"
    agencies = {agency["@id"] for agency in document["involvesAgency"]}
    assert agencies == {f"{ID}agency/cciced", f"{ID}agency/china-europe-water-platform"}
    assert client.get(f"/api/commitments/{P}/section/06").status_code == 404  # a section is not a commitment


def test_entity_lists_with_counts(client: TestClient) -> None:
    areas = {area["id"]: area for area in client.get("/api/areas").json()}
    named = {row["area"]["value"]: int(row["commitments"]["value"]) for row in named_rows(client, "areas")}
    assert {iri: area["commitments"] for iri, area in areas.items() if iri in named} == named
    assert sum(1 for area in areas.values() if area["priority"]) == 7
    sections = client.get("/api/sections").json()
    assert [s["order"] for s in sections if s["programme"] == ID + P] == list(range(1, 13))
    assert sum(s["commitments"] for s in sections) == 49
    frameworks = {f["id"]: f["commitments"] for f in client.get("/api/frameworks").json()}
    assert frameworks[f"{ID}framework/2030-agenda"] == 3
    agencies = {a["id"]: a["commitments"] for a in client.get("/api/agencies").json()}
    assert agencies[f"{ID}agency/imo"] == 1
    goals = client.get("/api/sdg/goals").json()
    assert [goal["number"] for goal in goals] == list(range(1, 18))
    assert goals[5]["colour"] == "#26BDE2"
    assert goals[5]["label"]["zh"] == "清洁饮水和卫生设施"
    six = {item["id"] for item in all_commitments(client, sdg="6")}
    assert goals[5]["commitments"] == len(six)


# ---- named queries -----------------------------------------------------------------------------------------


def test_query_list(client: TestClient) -> None:
    listed = client.get("/api/queries").json()
    assert [entry["name"] for entry in listed] == sorted(default_registry())
    assert all(entry["description"] for entry in listed)


def default_values(name: str) -> dict[str, str]:
    samples = {"iri": f"{SDG}6", "string": "水", "langstring": "水@zh", "integer": "3"}
    query = default_registry()[name]
    values = {}
    for param in query.params:
        if param.required:
            values[param.name] = samples[param.kind.value]
    if name == "commitment-provenance":
        values["commitment"] = f"{ID}{P}/section/04/item/1"
    if name == "commitments-by-area":
        values["area"] = f"{ID}{P}/area/1"
    if name == "commitments-by-framework":
        values["framework"] = f"{ID}framework/paris-agreement"
    return values


# The shipped programme's predecessor is named, not described: nothing to compare yet (the answer on invented
# programmes is tested in tests/queries/test_query_crossprogramme.py).
EMPTY_ON_THE_SHIPPED_GRAPH = {"successor-continues"}


@pytest.mark.parametrize("name", sorted(default_registry()))
def test_every_named_query_runs_in_json_and_csv(client: TestClient, name: str) -> None:
    values = default_values(name)
    answer = client.get(f"/api/queries/{name}", params=values)
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    assert bool(rows) != (name in EMPTY_ON_THE_SHIPPED_GRAPH), f"{name} with {values}: {len(rows)} rows"
    as_csv = client.get(f"/api/queries/{name}", params=values, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == len(rows) + 1
    assert client.get(f"/api/queries/{name}", params=values | {"format": "csv"}).text == as_csv.text


HOSTILE = [
    'x" } ; DROP ALL ; #',
    "}",
    "a}b{c",
    ";",
    "line\nbreak",
    "\\u0022",
    "'''",
    "<http://example.org/> ?p ?o",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_a_value(client: TestClient, value: str) -> None:
    answer = client.get("/api/queries/text-search", params={"text": value})
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["results"]["bindings"] == []  # no commitment contains it, and the query shape held
    assert "text" in document["head"]["vars"]


@pytest.mark.parametrize(
    "value",
    [
        "http://metadata.un.org/sdg/6> } UNION { ?s ?p ?o } #",
        "http://example.org/with space",
        "http://example.org/{brace}",
        "6",
        "javascript:alert(1)\n",
        "",
    ],
)
def test_hostile_iri_is_refused_with_422(client: TestClient, value: str) -> None:
    answer = client.get("/api/queries/commitments-by-sdg", params={"sdg": value})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "sdg" in answer.json()["detail"]


def test_missing_unknown_and_repeated_parameters(client: TestClient) -> None:
    missing = client.get("/api/queries/commitments-by-sdg")
    assert missing.status_code == 422
    assert "sdg" in missing.json()["detail"]
    unknown = client.get("/api/queries/areas", params={"nope": "1"})
    assert unknown.status_code == 422
    assert "nope" in unknown.json()["detail"]
    repeated = client.get("/api/queries/commitments-by-sdg?sdg=http://a.example/&sdg=http://b.example/")
    assert repeated.status_code == 422
    enum = client.get("/api/queries/text-search", params={"text": "水", "lang": "fr"})
    assert enum.status_code == 422
    assert client.get("/api/queries/no-such-query").status_code == 404


def test_openapi_has_every_query_with_typed_parameters_and_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for name, query in default_registry().items():
        operation = paths[f"/api/queries/{name}"]["get"]
        assert operation["summary"] == query.title
        parameters = {p["name"]: p for p in operation["parameters"]}
        for param in query.params:
            declared = parameters[param.name]
            assert declared["required"] == param.required
            assert "example" in declared
            if param.kind.value == "enum":
                assert declared["schema"]["enum"] == list(param.choices)
            if param.kind.value == "iri":
                assert declared["schema"]["format"] == "iri"
    for path in ("/api/commitments", "/api/areas", "/api/sections", "/api/frameworks", "/api/agencies"):
        assert path in paths
    assert "/api/sdg/goals" in paths
    commitments = paths["/api/commitments"]["get"]
    assert "example" in commitments["responses"]["200"]["content"]["application/json"]


def test_a_repeated_listing_comes_from_the_cache_with_its_headers(client: TestClient) -> None:
    params = {"sdg": "13", "per_page": "3", "page": "2"}
    first = client.get("/api/commitments", params=params)
    again = client.get("/api/commitments", params=params)
    assert again.content == first.content
    assert again.headers["link"] == first.headers["link"]
    assert again.headers["x-total-count"] == first.headers["x-total-count"]
    as_csv = client.get("/api/commitments", params=params, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")  # the media type is part of the key
