"""/api/vocabulary: the query editor's completion list comes from the graph being served (ontology terms with
both labels, SDG goals and targets with their short names), one entry per term, in a stable order."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_vocabulary_lists_ontology_terms_and_sdg_goals_with_labels(client: TestClient) -> None:
    response = client.get("/api/vocabulary")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["prefixes"]["coop"] == "https://w3id.org/coopkg/def#"
    by_name = {term["name"]: term for term in document["terms"]}
    assert len(by_name) == len(document["terms"])  # each term once, even when typed twice
    commitment = by_name["coop:Commitment"]
    assert commitment["kind"] == "class"
    assert commitment["label"] == {"en": "Commitment", "zh": "承诺"}
    assert commitment["definition"].startswith("Something the parties undertake")
    assert by_name["coop:hasAlignment"]["kind"] == "property"
    assert by_name["coop:Annual"]["kind"] == "concept"
    assert by_name["sdg:6"]["kind"] == "goal"
    assert by_name["sdg:6"]["label"] == {"en": "Clean water and sanitation", "zh": "清洁饮水和卫生设施"}
    assert by_name["sdg:6.3"]["kind"] == "target"
    goals = [term["name"] for term in document["terms"] if term["kind"] == "goal"]
    assert goals == [f"sdg:{n}" for n in range(1, 18)]  # natural order, not sdg:1, sdg:10, ...
    assert sum(term["kind"] == "target" for term in document["terms"]) == 169
