"""What the pages and the REST resources list: the catalogue model (commitments, the things they link to,
labels, programmes' facts, and counts of the links).

Lists, filters, counts and pictures are computed in Python over catalogues in memory, so a request parameter
(a filter, a search text, a sort key) never enters SPARQL at all. The directory (everything but the
commitments) is read once per data version; commitments are read per programme, for the programmes a page
shows (coopkg.linkeddata.catalogue_reading reads, coopkg.linkeddata.catalogue_cache keeps).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coopkg.rdf.namespaces import SDG

Labels = dict[str, str]  # language tag -> text


@dataclass(frozen=True)
class Alignment:
    iri: str
    target: str
    goal: int | None  # the SDG goal number the target is (or falls under); None for a Paris Agreement article
    basis: str | None
    rationale: str | None


@dataclass(frozen=True)
class Commitment:
    iri: str
    programme: str
    section: str
    section_order: int
    order: int
    notation: str | None
    text: str  # the source's own words, in `text_lang`
    text_en: str | None  # our English rendering; None where the source is English (set once, here)
    mechanism: bool
    frequency: str | None
    stated_as: str | None
    areas: tuple[str, ...]
    frameworks: tuple[str, ...]
    agencies: tuple[str, ...]
    alignments: tuple[Alignment, ...] = ()
    standing: str | None = None  # the standing mechanism (id:mechanism/...) a mechanism holds
    text_lang: str = "zh"  # the language of the source's own text (its language tag; a source states it)

    @property
    def goals(self) -> frozenset[int]:
        return frozenset(a.goal for a in self.alignments if a.goal is not None)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset(a.target for a in self.alignments)


@dataclass(frozen=True)
class Thing:
    """A listed resource: programme, section, area, framework, agency, party, actor type or SDG goal."""

    iri: str
    kind: str
    order: int | None
    notation: str | None
    priority: bool | None
    part_of: str | None
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Programme:
    iri: str
    begin: str | None  # gYear lexical form, e.g. "2023"
    end: str | None
    parties: tuple[str, ...]
    predecessor: str | None
    basis: str | None
    document: str | None
    file: str | None  # the source text, relative to the data folder
    language: str | None = None  # the source document's language (dct:language), when stated


LINK_KINDS = (
    "programme",
    "mechanism",
    "section",
    "area",
    "framework",
    "agency",
    "standing",
    "target",
    "goal",
)
# Links to things of one programme (or about as many as programmes): the directory holds them per programme.
PROGRAMME_KINDS = ("programme", "mechanism", "section", "area", "standing")
# Links to things many programmes share: the directory holds their totals only, since per programme they are
# most of the rows (at 10M triples, 140,000 of 256,000 for targets and goals alone; docs/scaling.md). Which
# programmes link to one of them is asked when a page needs it (CatalogueCache.programmes_linked).
SHARED_KINDS = ("framework", "agency", "target", "goal")


class LinksNotRead(LookupError):
    """Links of a shared kind were asked for per programme from a directory that holds their totals only: a
    bug of the caller (CatalogueCache.programmes_linked answers that question), never silently nothing."""


class Links:
    """How many commitments of each programme link to each thing, by the kind of link (`LINK_KINDS`):
    ("programme", p) counts p's commitments, ("mechanism", p) its mechanisms, ("area", a) the commitments in
    area a, ("goal", g) those aligned to goal g or one of its targets, and so on.

    Read with the directory (catalogue-links.rq, per programme, for `PROGRAMME_KINDS`;
    catalogue-link-totals.rq, the whole graph's totals, for `SHARED_KINDS`), it answers the counts across
    programmes and which programmes a page must read without reading commitments. Counted from every
    commitment (`of`), it holds every kind per programme.
    """

    def __init__(
        self,
        counts: Mapping[tuple[str, str, str], int],
        totals: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        """`counts`: (kind, thing, programme) -> commitments; `totals`: (kind, thing) -> commitments for the
        `SHARED_KINDS`, which `counts` then leaves out (None: `counts` holds every kind)."""
        # (kind, thing) -> programme -> commitments, and (kind, programme) -> things
        self._counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        self._things: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._totals = dict(totals or {})
        self._per_programme = frozenset(LINK_KINDS if totals is None else PROGRAMME_KINDS)
        for (kind, thing, programme), number in counts.items():
            if kind not in self._per_programme:
                raise ValueError(f"links of kind {kind!r} are given as totals, not per programme")
            self._counts[kind, thing][programme] = number
            self._things[kind, programme].add(thing)
        self.described = self.linked("programme")  # the programmes with commitments

    @classmethod
    def of(cls, commitments: Iterable[Commitment]) -> Links:
        """The links of these commitments (a catalogue read whole needs no query for them)."""
        counts: Counter[tuple[str, str, str]] = Counter()
        for c in commitments:
            linked = {
                "programme": (c.programme,),
                "mechanism": (c.programme,) if c.mechanism else (),
                "section": (c.section,),
                "area": c.areas,
                "framework": c.frameworks,
                "agency": c.agencies,
                "standing": (c.standing,) if c.standing else (),
                "target": c.targets,
                "goal": tuple(f"{SDG}{goal}" for goal in c.goals),
            }
            counts.update(
                (kind, thing, c.programme) for kind, links in linked.items() for thing in set(links)
            )
        return cls(counts)

    def by_programme(self, kind: str) -> bool:
        """Whether these links say which programmes link to a thing this way (else only how many
        commitments of the whole graph do)."""
        return kind in self._per_programme

    def linked(self, kind: str) -> frozenset[str]:
        """Everything some commitment links to this way (every area in use, ...); for "programme" and
        "mechanism", the programmes with commitments and with mechanisms."""
        if not self.by_programme(kind):
            return frozenset(thing for (k, thing) in self._totals if k == kind)
        return frozenset(thing for (k, thing) in self._counts if k == kind)

    def count(self, kind: str, thing: str) -> int:
        """Commitments linked to `thing` this way, all programmes."""
        if not self.by_programme(kind):
            return self._totals.get((kind, thing), 0)
        return sum(self._counts.get((kind, thing), {}).values())

    def totals(self, kind: str) -> dict[str, int]:
        """Thing -> commitments linked to it this way, all programmes."""
        return {thing: self.count(kind, thing) for thing in self.linked(kind)}

    def count_in(self, kind: str, thing: str, programme: str) -> int:
        return self._counts.get((self._held(kind), thing), {}).get(programme, 0)

    def programmes(self, kind: str, thing: str) -> frozenset[str]:
        """The programmes with a commitment linked to `thing` this way."""
        return frozenset(self._counts.get((self._held(kind), thing), ()))

    def things(self, kind: str, programme: str) -> frozenset[str]:
        """What `programme`'s commitments link to this way (its areas, its sections, ...)."""
        return frozenset(self._things.get((self._held(kind), programme), ()))

    def _held(self, kind: str) -> str:
        if not self.by_programme(kind):
            raise LinksNotRead(f"links of kind {kind!r} are held as totals only, not per programme")
        return kind

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Links)
            and self._per_programme == other._per_programme
            and self._counts == other._counts
            and self._totals == other._totals
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Directory:
    """Everything a catalogue holds except the commitments: the things, their labels, the programmes' facts
    and the links. Read once per data version; a catalogue of any set of programmes shares it."""

    things: dict[str, Thing]
    labels: dict[str, Labels]
    pref_labels: dict[str, Labels]
    programmes: dict[str, Programme]
    links: Links
    _kinds: dict[str, list[Thing]] = field(default_factory=dict, repr=False)
    _positions: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    _areas: dict[str, set[str]] | None = field(default=None, repr=False)

    def of_kind(self, kind: str) -> list[Thing]:
        # Kept sorted per kind: pages of thousands of programmes ask for areas and sections per programme.
        if kind not in self._kinds:
            self._kinds[kind] = sorted((t for t in self.things.values() if t.kind == kind), key=_thing_order)
        return self._kinds[kind]

    def position(self, kind: str, iri: str) -> int:
        """Where `iri` stands in `of_kind(kind)` (after all of them when it is not one)."""
        if kind not in self._positions:
            self._positions[kind] = {thing.iri: i for i, thing in enumerate(self.of_kind(kind))}
        return self._positions[kind].get(iri, len(self._positions[kind]))

    def own_areas(self, programme: str) -> set[str]:
        """The areas named under the programme's IRI (`<programme>/area/...`), used by a commitment or not."""
        if self._areas is None:
            self._areas = defaultdict(set)
            for thing in self.of_kind("area"):
                if "/area/" in thing.iri:
                    self._areas[thing.iri.rsplit("/area/", 1)[0]].add(thing.iri)
        return self._areas.get(programme, set())


class ProgrammeNotRead(LookupError):
    """A view asked a catalogue for the commitments of a programme it was not made with: a bug of the view's
    caller (the programmes a page needs are chosen before it is built), never silently an empty list."""


class Catalogue:
    """The commitments of some programmes (or of all: `complete`) with the directory of the whole graph.

    Pages and REST resources of one or a few programmes get a catalogue of just those (read on demand,
    coopkg.linkeddata.catalogue_cache); counts across programmes come from the directory's links, so they
    are the whole graph's whichever commitments were read.
    """

    def __init__(
        self,
        commitments: list[Commitment],
        things: dict[str, Thing],
        labels: dict[str, Labels],
        pref_labels: dict[str, Labels] | None = None,
        programmes: dict[str, Programme] | None = None,
        *,
        directory: Directory | None = None,
        read: Iterable[str] | None = None,
    ) -> None:
        """`read`: the programmes whose commitments these are (all of them, and `complete`, when None)."""
        self.commitments = sorted(commitments, key=lambda c: (c.programme, c.section_order, c.order, c.iri))
        self.directory = directory or Directory(
            things, labels, pref_labels or {}, programmes or {}, Links.of(self.commitments)
        )
        self.things, self.labels = self.directory.things, self.directory.labels
        self.pref_labels, self.programmes = self.directory.pref_labels, self.directory.programmes
        self.links = self.directory.links
        self.complete = read is None
        self._read = None if read is None else frozenset(read)
        self._by_iri = {commitment.iri: commitment for commitment in self.commitments}
        self._by_programme: dict[str, list[Commitment]] = defaultdict(list)
        for commitment in self.commitments:
            self._by_programme[commitment.programme].append(commitment)

    def label(self, iri: str, lang: str) -> str:
        """The label in `lang`, else in the other of zh/en, else the IRI's last segment."""
        for table in (self.labels, self.pref_labels):
            labels = table.get(iri)
            if labels:
                if lang in labels:
                    return labels[lang]
                for other in ("en", "zh"):
                    if other in labels:
                        return labels[other]
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def has_label(self, iri: str, lang: str) -> bool:
        return lang in self.labels.get(iri, {}) or lang in self.pref_labels.get(iri, {})

    def of_kind(self, kind: str) -> list[Thing]:
        return list(self.directory.of_kind(kind))

    def successors(self, programme: str) -> list[str]:
        """The programmes that name `programme` as their predecessor."""
        return sorted(p.iri for p in self.programmes.values() if p.predecessor == programme)

    def commitment(self, iri: str) -> Commitment | None:
        return self._by_iri.get(iri)

    def of_programme(self, programme: str) -> list[Commitment]:
        """The programme's commitments in document order; ProgrammeNotRead if this catalogue lacks them."""
        if self._read is not None and programme not in self._read:
            raise ProgrammeNotRead(f"the catalogue was made without the commitments of <{programme}>")
        return self._by_programme.get(programme, [])


def small_number(text: str) -> int | None:
    """A non-negative number written in at most 9 ASCII digits, else None.

    `str.isdigit` alone admits "²" and "٣" (which `int` refuses or maps) and any length (which `int` refuses
    past 4300 digits): values from requests and data are checked here before conversion.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def goal_number(iri: str) -> int | None:
    """3 for `http://metadata.un.org/sdg/3`; None for anything else."""
    if iri.startswith(SDG):
        code = iri[len(SDG) :]
        number = small_number(code)
        if number is not None and 1 <= number <= 17:
            return number
    return None


def _thing_order(thing: Thing) -> tuple[int, int, int, str]:
    goal = goal_number(thing.iri)
    # Priority areas first (in their list order), then the other areas by IRI; goals by number.
    return (0 if thing.priority is not False else 1, goal or 0, thing.order or 0, thing.iri)
