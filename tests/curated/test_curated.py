"""The curated layer (data/curated/): translations, alignments and reference data, against the contract.

The list of commitments, sections and areas is read from docs/design.md (its tables and item counts), not
from the curated files, so a commitment the curators forgot, or an IRI they misspelt, fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

ROOT = Path(__file__).resolve().parents[2]
SLUG = "cn-dk-green-2023-2026"
CURATED = ROOT / "data" / "curated"
DESIGN = ROOT / "docs" / "design.md"
PROGRAMME_FACTS = ROOT / "data" / "programmes" / SLUG / "programme.ttl"
SDG_KOS = ROOT / "data" / "sdg" / "sdg-kos-goals-targets-indicators.ttl"
# The build output is committed and `coopkg build --check` keeps it fresh: the curated IRIs must hit it.
BUILT_PROGRAMME = ROOT / "data" / "generated" / f"programme-{SLUG}.ttl"

COOP = Namespace("https://w3id.org/coopkg/def#")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
ID = "https://w3id.org/coopkg/id/"
PROGRAMME = f"{ID}programme/{SLUG}"
AGENT = URIRef(f"{ID}agent/coopkg")
PARIS = f"{ID}framework/paris-agreement"
WIKIDATA = "http://www.wikidata.org/entity/"

# The only Wikidata IDs the project issue verified, and what each one identifies.
VERIFIED_WIKIDATA = {
    "Q148": f"{ID}party/china",
    "Q35": f"{ID}party/denmark",
    "Q21707860": f"{ID}framework/paris-agreement",
    "Q208645": f"{ID}framework/unfccc",
    "Q171328": f"{ID}framework/un-charter",
    "Q7813": f"{ID}framework/udhr",
    "Q201054": f"{ID}agency/imo",
}
EXPECTED_FILES = ("reference.ttl", f"translations-{SLUG}.ttl", f"alignments-{SLUG}.ttl")


# ---------------------------------------------------------------- what the design contract fixes


def _design() -> str:
    return DESIGN.read_text(encoding="utf-8")


def design_prose_quotes() -> dict[str, str]:
    """`NN/prose/K` (and the items the table quotes) -> normalised quote, from the design's table."""
    return {m[1]: m[2] for m in re.finditer(r"^\| (\d\d/(?:prose|item)/\d+) \| (.+?) \|", _design(), re.M)}


def design_commitments() -> list[str]:
    """The 49 commitment IRIs: items from the stated counts per section, prose from the table."""
    counts = re.search(
        r"Enumerated items （一）… are commitments .*?: (.*?) \((\d+) in all\)", _design(), re.S
    )
    assert counts, "docs/design.md no longer states the item counts per section"
    per_section = re.findall(r"(\d\d) has (\d+)", counts[1])
    items = [f"{nn}/item/{k}" for nn, n in per_section for k in range(1, int(n) + 1)]
    assert len(items) == int(counts[2])
    prose = [key for key in design_prose_quotes() if "/prose/" in key]
    total = re.search(r"That is (\d+) prose commitments \+ (\d+) items = (\d+) commitments", _design())
    assert total, "docs/design.md no longer states the number of commitments"
    assert (len(prose), len(items)) == (int(total[1]), int(total[2]))
    return [f"{PROGRAMME}/section/{key}" for key in prose + items]


def design_sections() -> list[str]:
    return [f"{PROGRAMME}/section/{nn}" for nn in re.findall(r"^\| (\d\d) \| ", _design(), re.M)]


def design_areas() -> list[str]:
    slugs = [str(n) for n in range(1, 8)] + ["general", "high-level-dialogue", "ip", "tourism"]
    text = _design()
    for slug in slugs[7:]:
        assert f"`{slug}`" in text or f"area/{slug}" in text, f"area {slug} is no longer in docs/design.md"
    return [f"{PROGRAMME}/area/{slug}" for slug in slugs]


def test_design_lists_49_commitments_in_12_sections() -> None:
    assert len(set(design_commitments())) == 49
    assert len(design_sections()) == 12


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    """Each curated file parsed on its own (a file that does not parse fails here, naming itself)."""
    parsed = {}
    for path in sorted(CURATED.glob("*.ttl")):
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # any parser error: report which file
            pytest.fail(f"{path.relative_to(ROOT)} does not parse as Turtle: {error}")
        parsed[path.name] = graph
    return parsed


@pytest.fixture(scope="module")
def curated(graphs: dict[str, Graph]) -> Graph:
    union = Graph()
    for graph in graphs.values():
        union += graph
    return union


@pytest.fixture(scope="module")
def sdg_kos() -> Graph:
    graph = Graph()
    graph.parse(SDG_KOS, format="turtle")
    return graph


# ---------------------------------------------------------------- files


def test_every_expected_file_is_there_and_parses(graphs: dict[str, Graph]) -> None:
    for name in EXPECTED_FILES:
        assert name in graphs, f"data/curated/{name} is missing"
        assert len(graphs[name]) > 0, f"data/curated/{name} is empty"


def test_each_subject_is_described_in_one_file_only(graphs: dict[str, Graph]) -> None:
    """Tidy files: a resource's block lives in one file, so reviewers find all of it in one place."""
    seen: dict[URIRef, str] = {}
    for name, graph in graphs.items():
        for subject in set(graph.subjects()):
            # the commitments get their translation link in one file and their alignments in the other
            if (subject, COOP.translation, None) in graph or (subject, COOP.hasAlignment, None) in graph:
                continue
            assert subject not in seen, f"{subject} is described both in {seen[subject]} and in {name}"
            seen[subject] = name


# ---------------------------------------------------------------- alignments


@pytest.mark.parametrize("commitment", design_commitments())
def test_commitment_has_a_well_formed_alignment(commitment: str, curated: Graph, sdg_kos: Graph) -> None:
    subject = URIRef(commitment)
    alignments = list(curated.objects(subject, COOP.hasAlignment))
    assert alignments, f"{commitment} has no coop:hasAlignment"
    for alignment in alignments:
        assert (alignment, RDF.type, COOP.Alignment) in curated
        targets = list(curated.objects(alignment, COOP.alignedTo))
        bases = list(curated.objects(alignment, COOP.alignmentBasis))
        rationales = list(curated.objects(alignment, COOP.rationale))
        assert len(targets) == 1, f"{alignment} needs exactly one coop:alignedTo"
        assert bases in ([COOP.ExplicitInText], [COOP.CuratedJudgement]), f"{alignment}: basis {bases}"
        assert len(rationales) == 1, f"{alignment} needs exactly one coop:rationale"
        rationale = rationales[0]
        assert isinstance(rationale, Literal)
        assert rationale.language == "en"
        assert rationale.strip(), f"{alignment}: the rationale is empty"
        assert "\n" not in rationale, f"{alignment}: the rationale is one line"
        assert (alignment, PROV.wasAttributedTo, AGENT) in curated
        target = str(targets[0])
        if target.startswith(str(SDG)):
            code = target.removeprefix(str(SDG))
            assert str(alignment) == f"{commitment}/alignment/sdg-{code}"
            is_goal_or_target = any(
                (targets[0], RDF.type, kind) in sdg_kos for kind in (SDGO.Goal, SDGO.Target)
            )
            assert is_goal_or_target, f"{alignment}: {target} is not a goal or target of the UN SDG taxonomy"
        else:
            article = re.fullmatch(re.escape(PARIS) + r"/article/(\d+)", target)
            assert article, f"{alignment}: {target} is neither an SDG IRI nor a Paris Agreement article"
            assert str(alignment) == f"{commitment}/alignment/paris-{article[1]}"
            assert (targets[0], DCTERMS.isPartOf, URIRef(PARIS)) in curated, f"{target} is not described"


def test_explicit_basis_only_where_the_text_names_the_framework(curated: Graph) -> None:
    """ExplicitInText is a claim about the source: the commitment's own words must name what it points to."""
    quotes = design_prose_quotes()
    for alignment in curated.subjects(COOP.alignmentBasis, COOP.ExplicitInText):
        commitment = next(curated.subjects(COOP.hasAlignment, alignment))
        key = str(commitment).removeprefix(f"{PROGRAMME}/section/")
        quote = quotes.get(key, "")
        target = str(next(curated.objects(alignment, COOP.alignedTo)))
        names = "巴黎协定" if target.startswith(PARIS) else "可持续发展"
        assert names in quote, f"{alignment} claims ExplicitInText but {key} does not name {names}"


def test_every_alignment_is_linked_from_a_commitment(curated: Graph) -> None:
    commitments = {URIRef(c) for c in design_commitments()}
    for alignment in curated.subjects(RDF.type, COOP.Alignment):
        owners = set(curated.subjects(COOP.hasAlignment, alignment))
        assert owners, f"{alignment} is not linked from any commitment"
        assert owners <= commitments, f"{alignment} is linked from {owners - commitments}"


# ---------------------------------------------------------------- translations


@pytest.mark.parametrize("commitment", design_commitments())
def test_commitment_has_an_unofficial_english_rendering(commitment: str, curated: Graph) -> None:
    _assert_translation(URIRef(commitment), curated)


def _assert_translation(original: URIRef, curated: Graph) -> None:
    rendering = URIRef(f"{original}#en")
    assert (original, COOP.translation, rendering) in curated, f"{original} has no coop:translation <…#en>"
    assert (rendering, RDF.type, COOP.Translation) in curated
    assert (rendering, COOP.translationOf, original) in curated
    assert (rendering, PROV.wasAttributedTo, AGENT) in curated
    assert list(curated.objects(rendering, COOP.official)) == [Literal(False)], f"{rendering}: official false"
    values = list(curated.objects(rendering, RDF.value))
    assert len(values) == 1, f"{rendering} needs exactly one rdf:value"
    value = values[0]
    assert isinstance(value, Literal)
    assert value.language == "en"
    assert value.strip()
    assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", value), (
        f"{rendering} still holds Chinese characters"
    )


def test_programme_sections_and_areas_have_english_labels(curated: Graph) -> None:
    for resource in [PROGRAMME, *design_sections(), *design_areas()]:
        labels = [label for label in curated.objects(URIRef(resource), RDFS.label) if label.language == "en"]
        assert len(labels) == 1, f"{resource} needs exactly one English rdfs:label, has {labels}"


def test_every_chinese_label_of_the_programme_facts_has_an_english_label(curated: Graph) -> None:
    """The hand-entered facts (data/programmes/) label resources in Chinese; each needs an English label."""
    facts = Graph()
    facts.parse(PROGRAMME_FACTS, format="turtle")
    labelled = {s for s, label in facts.subject_objects(RDFS.label) if label.language == "zh"}
    assert URIRef(PROGRAMME) in labelled
    for resource in labelled:
        labels = [label for label in curated.objects(resource, RDFS.label) if label.language == "en"]
        assert len(labels) == 1, (
            f"{resource} is labelled in Chinese in {PROGRAMME_FACTS.name} but not in English"
        )


@pytest.fixture(scope="module")
def built() -> Graph:
    graph = Graph()
    graph.parse(BUILT_PROGRAMME, format="turtle")
    return graph


def test_every_built_paragraph_and_commitment_is_rendered_in_english(curated: Graph, built: Graph) -> None:
    statements = [s for cls in (COOP.Paragraph, COOP.Commitment) for s in built.subjects(RDF.type, cls)]
    assert len(statements) >= 49 + 12
    for statement in statements:
        assert isinstance(statement, URIRef)
        _assert_translation(statement, curated)


def test_every_built_chinese_label_has_an_english_label(curated: Graph, built: Graph) -> None:
    for resource, label in built.subject_objects(RDFS.label):
        if label.language == "zh":
            english = [en for en in curated.objects(resource, RDFS.label) if en.language == "en"]
            assert len(english) == 1, f"{resource} ({label}) has no English label in the curated layer"


def test_curated_statements_are_about_built_resources(curated: Graph, built: Graph) -> None:
    """A curated IRI the build does not produce (a paragraph or prose number off by one) would dangle."""
    described = set(built.subjects())
    about = set(curated.objects(None, COOP.translationOf)) | set(curated.subjects(COOP.hasAlignment, None))
    about |= {s for s in curated.subjects(RDFS.label, None) if str(s).startswith(PROGRAMME)}
    assert about
    assert not about - described, f"not produced by the build: {sorted(about - described)}"


def test_every_translation_renders_something_of_the_programme(curated: Graph) -> None:
    for rendering in curated.subjects(RDF.type, COOP.Translation):
        original = next(curated.objects(rendering, COOP.translationOf))
        assert str(rendering) == f"{original}#en"
        assert str(original).startswith(f"{PROGRAMME}/section/"), f"{rendering} renders {original}"


# ---------------------------------------------------------------- reference data


def test_all_17_goals_have_a_chinese_label(curated: Graph) -> None:
    for number in range(1, 18):
        zh = [label for label in curated.objects(SDG[str(number)], RDFS.label) if label.language == "zh"]
        assert len(zh) == 1, f"sdg:{number} needs exactly one Chinese rdfs:label"
        assert re.fullmatch(r"[\u4e00-\u9fff、]+", zh[0]), f"sdg:{number}: {zh[0]!r} is not a Chinese name"


def test_every_resource_of_the_reference_file_has_zh_and_en_labels(graphs: dict[str, Graph]) -> None:
    reference = graphs["reference.ttl"]
    subjects = set(reference.subjects())
    assert len(subjects) >= 30
    for subject in subjects:
        for language in ("zh", "en"):
            labels = [label for label in reference.objects(subject, RDFS.label) if label.language == language]
            assert len(labels) == 1, f"{subject} needs exactly one rdfs:label @{language}, has {labels}"


@pytest.mark.parametrize(
    ("resource", "kind"),
    [
        ("party/china", COOP.Party),
        ("party/denmark", COOP.Party),
        ("framework/2030-agenda", COOP.Framework),
        ("framework/sdgs", COOP.Framework),
        ("framework/unfccc", COOP.Framework),
        ("framework/paris-agreement", COOP.Framework),
        ("framework/udhr", COOP.Framework),
        ("framework/un-charter", COOP.Framework),
        ("framework/one-health", COOP.Framework),
        ("framework/cn-dk-csp-2008", COOP.Framework),
        ("agency/imo", COOP.Agency),
        ("agency/cciced", COOP.Agency),
        ("agency/china-europe-water-platform", COOP.Agency),
        ("actor-type/government", COOP.ActorType),
        ("actor-type/business", COOP.ActorType),
        ("actor-type/stakeholder-organisation", COOP.ActorType),
        ("actor-type/academia", COOP.ActorType),
        ("agent/coopkg", PROV.SoftwareAgent),
    ],
)
def test_design_resource_is_described(resource: str, kind: URIRef, curated: Graph) -> None:
    assert (URIRef(ID + resource), RDF.type, kind) in curated, f"id:{resource} is not a {kind}"


def test_only_verified_wikidata_ids_are_used(curated: Graph) -> None:
    used = {str(term) for triple in curated for term in triple if str(term).startswith(WIKIDATA)}
    unverified = {iri for iri in used if iri.removeprefix(WIKIDATA) not in VERIFIED_WIKIDATA}
    assert not unverified, f"unverified Wikidata IDs: {sorted(unverified)}"
    for qid, resource in VERIFIED_WIKIDATA.items():
        assert (URIRef(resource), SKOS.exactMatch, URIRef(WIKIDATA + qid)) in curated, (
            f"{resource} ≠ wd:{qid}"
        )
