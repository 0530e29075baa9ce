"""Links across programmes that the build derives from the other graphs (graph id:graph/derived):

- `coop:successor`, the inverse of every stated `coop:predecessor`, so that queries can follow a programme
  forwards without a reasoner;
- `coop:Similarity` pairs: each commitment of a programme and each commitment of its predecessor whose texts
  score at least `similarity.THRESHOLD`, with the score and method, attributed to the coopkg project (ours,
  computed, stated by no text).

Pure: triples in, triples out, so the build, its `--check` and the tests that load invented programmes beside
the shipped graph all derive the same links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from coopkg import similarity
from coopkg.rdf.namespaces import DEF, ID, PREFIXES, RDF_TYPE

AGENT = ox.NamedNode(f"{ID}agent/coopkg")
_PREDECESSOR = DEF + "predecessor"
_PROGRAMME = DEF + "programme"
_TEXT = DEF + "text"
_TRANSLATION = DEF + "translation"
_VALUE = PREFIXES["rdf"] + "value"
_COMMITMENT = DEF + "Commitment"


def _node(local: str) -> ox.NamedNode:
    return ox.NamedNode(DEF + local)


def similarity_iri(earlier: str, later: str) -> str:
    """`<later commitment>/similar/<earlier commitment's path after id:programme/>`: stable and readable."""
    prefix = f"{ID}programme/"
    tail = earlier[len(prefix) :] if earlier.startswith(prefix) else earlier.rsplit("/", 1)[-1]
    return f"{later}/similar/{tail}"


Texts = dict[str, list[similarity.Text]]  # programme IRI -> its commitments' texts


def commitment_texts(triples: Iterable[ox.Triple]) -> tuple[Texts, list[tuple[str, str]]]:
    """Commitments by programme (with their texts by language) and the (programme, predecessor) pairs."""
    programme_of: dict[str, str] = {}
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    translations: dict[str, list[str]] = defaultdict(list)
    values: dict[str, dict[str, str]] = defaultdict(dict)
    commitments: set[str] = set()
    predecessors: list[tuple[str, str]] = []
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            continue
        subject, predicate, obj = t.subject.value, t.predicate.value, t.object
        if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode) and obj.value == _COMMITMENT:
            commitments.add(subject)
        elif predicate == _PROGRAMME and isinstance(obj, ox.NamedNode):
            programme_of[subject] = obj.value
        elif predicate == _PREDECESSOR and isinstance(obj, ox.NamedNode):
            predecessors.append((subject, obj.value))
        elif predicate in (_TEXT, _VALUE) and isinstance(obj, ox.Literal) and obj.language:
            table = texts if predicate == _TEXT else values
            table[subject].setdefault(obj.language.split("-")[0].lower(), obj.value)
        elif predicate == _TRANSLATION and isinstance(obj, ox.NamedNode):
            translations[subject].append(obj.value)
    by_programme: dict[str, list[similarity.Text]] = defaultdict(list)
    for iri in sorted(commitments):
        own = dict(texts.get(iri, {}))
        for rendering in sorted(translations.get(iri, [])):
            for lang, text in values.get(rendering, {}).items():
                own.setdefault(lang, text)  # the source's own text wins over a rendering in its language
        if iri in programme_of and own:
            by_programme[programme_of[iri]].append(similarity.Text(iri, own))
    return dict(by_programme), sorted(set(predecessors))


def derived_triples(triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The successor links and similarity pairs of every (programme, predecessor) in `triples`."""
    by_programme, predecessors = commitment_texts(triples)
    derived: set[ox.Triple] = set()
    decimal = ox.NamedNode(PREFIXES["xsd"] + "decimal")
    for later_programme, earlier_programme in predecessors:
        derived.add(
            ox.Triple(ox.NamedNode(earlier_programme), _node("successor"), ox.NamedNode(later_programme))
        )
        earlier = by_programme.get(earlier_programme, [])
        later = by_programme.get(later_programme, [])
        for match in similarity.matches(earlier, later):
            pair = ox.NamedNode(similarity_iri(match.earlier, match.later))
            derived.update(
                (
                    ox.Triple(pair, ox.NamedNode(RDF_TYPE), _node("Similarity")),
                    ox.Triple(pair, _node("earlierCommitment"), ox.NamedNode(match.earlier)),
                    ox.Triple(pair, _node("laterCommitment"), ox.NamedNode(match.later)),
                    ox.Triple(pair, _node("score"), ox.Literal(f"{match.score:.3f}", datatype=decimal)),
                    ox.Triple(pair, _node("similarityMethod"), ox.NamedNode(similarity.METHOD)),
                    ox.Triple(pair, ox.NamedNode(PREFIXES["prov"] + "wasAttributedTo"), AGENT),
                )
            )
    return derived
