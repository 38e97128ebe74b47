"""Who handles this? From a request in plain words (and a place, when known) to the one
office responsible, with the reason and the alternatives.

    result = route("broken streetlight on Calle Mayor", area=None, language="en")
    result.office, result.reason, result.alternatives

Everything is answered from the in-memory index (index.py): no query grows with the
directory, and a warm index needs none at all. The model instances in a result come from the
index and are shared: read them, assign them to foreign keys, never change and save them."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from agora.directory.index import DirectoryIndex, get_index
from agora.directory.models import Area, Office, Responsibility, Topic
from agora.directory.text import words

PARTIAL_PHRASE = 0.6  # a word of a longer phrase counts this much on its own
PHRASE_BONUS = 0.5  # and a whole phrase adds this much per extra word
MIN_SCORE = 1.0  # below this best score the answer is a guess
CLOSE_RATIO = 0.7  # an alternative this close to the best makes the answer uncertain
ALTERNATIVE_RATIO = 0.3  # alternatives weaker than this share of the best are not shown
MAX_ALTERNATIVES = 3
POSITION_DECAY = 0.25  # the last word of a request counts this much less than the first


@dataclass(frozen=True)
class Candidate:
    """One possible answer: a topic the request matched and the office responsible for it."""

    topic: Topic
    office: Office
    responsibility: Responsibility
    score: float


@dataclass(frozen=True)
class RoutingResult:
    text: str
    language: str
    area: Area | None  # the place used: the one given, else one named in the text
    area_from_text: bool
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)  # best first, one per office

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def office(self) -> Office | None:
        return self.best.office if self.best else None

    @property
    def topic(self) -> Topic | None:
        return self.best.topic if self.best else None

    @property
    def responsibility(self) -> Responsibility | None:
        return self.best.responsibility if self.best else None

    @property
    def alternatives(self) -> tuple[Candidate, ...]:
        return self.candidates[1:]

    @property
    def uncertain(self) -> bool:
        """True when the answer is weak or another office comes close: show the alternatives."""
        if not self.candidates:
            return True
        best = self.candidates[0].score
        return best < MIN_SCORE or any(
            candidate.score >= CLOSE_RATIO * best for candidate in self.candidates[1:]
        )

    @property
    def reason(self) -> str:
        """The answer in plain words, in the result's language."""
        with translation.override(self.language):
            return explain(self.best, self.area) if self.best else ""


def explain(candidate: Candidate, area: Area | None) -> str:
    responsibility = candidate.responsibility
    values = {
        "topic": candidate.topic.name,
        "office": candidate.office.name,
        "scope": responsibility.area.name,
        "area": area.name if area is not None else responsibility.area.name,
    }
    if area is not None and area.pk != responsibility.area_id:
        return (
            _("%(topic)s in %(area)s: %(office)s is responsible, as it is for all of %(scope)s.")
            % values
        )
    return _("%(topic)s in %(area)s: %(office)s is responsible.") % values


def find_responsibility(topic: Topic, area: Area | None, index: DirectoryIndex | None = None):
    """The responsibility that decides who handles `topic` in `area`: the area's own, else the
    nearest area it lies in; failing all, the same for the topic's parent topic, and so up.
    Without an area, the responsibilities of the top-level areas (the city) count."""
    index = index or get_index()
    topic = index.topics.get(topic.pk, topic)
    if area is not None:
        areas = index.area_chain(index.areas.get(area.pk, area))
    else:
        areas = index.root_areas
    for current_topic in index.topic_chain(topic):
        for current_area in areas:
            found = index.responsibilities.get((current_topic.pk, current_area.pk))
            if found is not None:
                return found
    return None


def responsible_office(topic: Topic, area: Area | None) -> Office | None:
    """The one office responsible for `topic` in `area` (see find_responsibility)."""
    found = find_responsibility(topic, area)
    return found.office if found is not None else None


def _phrases_at(phrases: dict, stems: list[str], start: int):
    """The phrases (tuples of stems) that the request's words spell from `start` on."""
    for phrase in phrases.get(stems[start], ()):
        candidate = phrase[0] if isinstance(phrase[0], tuple) else phrase
        if tuple(stems[start : start + len(candidate)]) == candidate:
            yield phrase


def detect_area(index: DirectoryIndex, stems: list[str]) -> tuple[Area | None, set[int]]:
    """The area the text names (the longest name, then the smallest area), and the positions
    of the words that name it. A name inside a longer phrase of a topic is not a place: the
    "centro" of "centro de salud" is a health centre, not the district Centro."""
    topic_spans = [
        range(start, start + len(phrase))
        for start in range(len(stems))
        for phrase in _phrases_at(index.phrases, stems, start)
    ]
    found: list[tuple[int, int, Area, set[int]]] = []
    for start in range(len(stems)):
        for phrase, area_id in _phrases_at(index.area_phrases, stems, start):
            end = start + len(phrase)
            if any(
                span.start <= start and end <= span.stop and len(span) > len(phrase)
                for span in topic_spans
            ):
                continue
            area = index.areas[area_id]
            found.append((len(phrase), len(index.area_chain(area)), area, set(range(start, end))))
    if not found:
        return None, set()
    _size, _depth, area, positions = max(found, key=lambda item: (item[0], item[1]))
    return area, positions


def score_topics(index: DirectoryIndex, stems: list[str]) -> dict[int, float]:
    """How well each topic's words cover the request's words."""
    best: dict[int, dict[int, float]] = defaultdict(dict)  # topic -> position -> score
    hits: dict[int, dict[int, float]] = defaultdict(dict)  # term -> stem position -> quality
    last = max(len(stems) - 1, 1)
    for position, stem in enumerate(stems):
        # People name what is wrong first and where it is after ("a wasp nest in the tree in
        # the park"), so later words count a little less.
        emphasis = 1.0 - POSITION_DECAY * position / last
        candidates = dict(index.matches(stem))
        if position + 1 < len(stems):
            joined = stem + stems[position + 1]
            if joined in index.idf:
                candidates[joined] = 1.0
        for vocabulary_stem, quality in candidates.items():
            weight = index.idf[vocabulary_stem] * quality * emphasis
            for number in index.postings[vocabulary_stem]:
                term = index.terms[number]
                partial = 1.0 if len(term.stems) == 1 else PARTIAL_PHRASE
                contribution = term.weight * weight * partial
                if contribution > best[term.topic_id].get(position, 0.0):
                    best[term.topic_id][position] = contribution
                if len(term.stems) > 1:
                    hits[number][term.stems.index(vocabulary_stem)] = quality
    scores = {topic_id: sum(positions.values()) for topic_id, positions in best.items()}
    for number, matched in hits.items():
        term = index.terms[number]
        if len(matched) == len(term.stems):
            mean_idf = sum(index.idf[stem] for stem in term.stems) / len(term.stems)
            bonus = term.weight * mean_idf * PHRASE_BONUS * (len(term.stems) - 1)
            scores[term.topic_id] += bonus * min(matched.values())
    return scores


def place_named_in(text: str) -> Area | None:
    """The place a request names in its words, as `route` reads it; None when it names none."""
    area, _positions = detect_area(get_index(), words(text))
    return area


def route(text: str, area: Area | None = None, language: str = "en") -> RoutingResult:
    """Route a request to the office responsible. `area` is the place the person chose, if
    any; a place named in the text is used when none was chosen. `language` is the language
    of the answer's wording; the request itself may be in any of the directory's languages."""
    index = get_index()
    stems = words(text)
    named_area, area_positions = detect_area(index, stems)
    chosen = index.areas.get(area.pk, area) if area is not None else named_area
    topic_stems = [stem for position, stem in enumerate(stems) if position not in area_positions]
    if not topic_stems:
        topic_stems = stems
    scores = score_topics(index, topic_stems)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    candidates: list[Candidate] = []
    offices_seen: set[int] = set()
    for topic_id, score in ranked:
        if candidates and score < ALTERNATIVE_RATIO * candidates[0].score:
            break
        responsibility = find_responsibility(index.topics[topic_id], chosen, index)
        if responsibility is None or responsibility.office_id in offices_seen:
            continue
        offices_seen.add(responsibility.office_id)
        candidates.append(
            Candidate(
                topic=index.topics[topic_id],
                office=responsibility.office,
                responsibility=responsibility,
                score=round(score, 3),
            )
        )
        if len(candidates) > MAX_ALTERNATIVES:
            break
    return RoutingResult(
        text=text,
        language=language,
        area=chosen,
        area_from_text=area is None and named_area is not None,
        candidates=tuple(candidates),
    )
