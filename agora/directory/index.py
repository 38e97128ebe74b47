"""The routing index: the whole directory's vocabulary and responsibilities in memory.

A directory is small (hundreds of topics and areas, not millions), so each process builds the
index once with four queries and answers every request from memory. Any change to the
directory bumps a version number in the shared cache (see signals.py); a process whose index is
older rebuilds it on its next request. Without a shared cache (local memory, one per process)
another process notices a change within `MAX_AGE` seconds."""

import math
import os
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache

from agora.core.transactions import on_commit_once
from agora.directory.text import edit_distance, sounds_like, trigrams, words

VERSION_KEY = "directory:index-version"
MAX_AGE = 300.0

# How much a match on each kind of text counts.
NAME_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.5
DESCRIPTION_WEIGHT = 0.6
NOTES_WEIGHT = 0.5


@dataclass(frozen=True)
class Term:
    """A word or phrase of a topic, as stems."""

    topic_id: int
    stems: tuple[str, ...]
    weight: float


@dataclass
class DirectoryIndex:
    version: str
    built_at: float
    topics: dict = field(default_factory=dict)  # id -> Topic
    areas: dict = field(default_factory=dict)  # id -> Area
    offices: dict = field(default_factory=dict)  # id -> Office
    responsibilities: dict = field(default_factory=dict)  # (topic id, area id) -> Responsibility
    root_areas: list = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    postings: dict = field(default_factory=lambda: defaultdict(list))  # stem -> [term index]
    idf: dict = field(default_factory=dict)  # stem -> weight
    grams: dict = field(default_factory=lambda: defaultdict(set))  # trigram -> {stem}
    area_phrases: dict = field(
        default_factory=lambda: defaultdict(list)
    )  # first stem -> [(stems, area id)]
    phrases: dict = field(default_factory=lambda: defaultdict(set))  # first stem -> {stems}
    sounds: dict = field(default_factory=lambda: defaultdict(set))  # sound -> {stem}
    # What other modules derive from this build (the map's figure, the hashtag vocabulary),
    # by name: computed at most once per build and process, forgotten with the build.
    derived: dict = field(default_factory=dict)

    def area_chain(self, area) -> list:
        """The area and every area it lies in, smallest first."""
        chain = []
        seen = set()
        while area is not None and area.pk not in seen:
            seen.add(area.pk)
            chain.append(area)
            area = self.areas.get(area.parent_id)
        return chain

    def topic_chain(self, topic) -> list:
        chain = []
        seen = set()
        while topic is not None and topic.pk not in seen:
            seen.add(topic.pk)
            chain.append(topic)
            topic = self.topics.get(topic.parent_id)
        return chain

    def matches(self, stem: str) -> dict[str, float]:
        """The vocabulary's stems this stem of a request stands for, each with how sure:
        1.0 for the same stem, less for a prefix or a typo."""
        return _matches(self, stem)


def _add_text(index: DirectoryIndex, topic_id: int, text: str, weight: float, phrases: bool):
    if phrases:
        for phrase in text.split(";"):
            stems = tuple(words(phrase))
            if stems:
                index.terms.append(Term(topic_id, stems, weight))
    else:
        for stem in set(words(text)):
            index.terms.append(Term(topic_id, (stem,), weight))


def build_index(version: str) -> DirectoryIndex:
    from agora.directory.models import Area, Office, Responsibility, Topic

    index = DirectoryIndex(version=version, built_at=time.monotonic())
    index.topics = {topic.pk: topic for topic in Topic.objects.all()}
    index.areas = {area.pk: area for area in Area.objects.all()}
    index.offices = {
        office.pk: office for office in Office.objects.select_related("authority", "parent")
    }
    for responsibility in Responsibility.objects.all():
        responsibility.topic = index.topics[responsibility.topic_id]
        responsibility.area = index.areas[responsibility.area_id]
        responsibility.office = index.offices[responsibility.office_id]
        index.responsibilities[(responsibility.topic_id, responsibility.area_id)] = responsibility
    for area in index.areas.values():
        if area.parent_id is not None:
            area.parent = index.areas.get(area.parent_id)
    index.root_areas = sorted(
        (area for area in index.areas.values() if area.parent_id is None), key=lambda a: a.pk
    )

    for topic in index.topics.values():
        _add_text(index, topic.pk, f"{topic.name_en};{topic.name_es}", NAME_WEIGHT, True)
        _add_text(index, topic.pk, f"{topic.keywords_en};{topic.keywords_es}", KEYWORD_WEIGHT, True)
        _add_text(
            index,
            topic.pk,
            f"{topic.description_en} {topic.description_es}",
            DESCRIPTION_WEIGHT,
            False,
        )
    for responsibility in index.responsibilities.values():
        _add_text(
            index,
            responsibility.topic_id,
            f"{responsibility.handles_en} {responsibility.handles_es}",
            NOTES_WEIGHT,
            False,
        )
    # One term per (topic, stems): the heaviest, so notes repeating a keyword add nothing.
    best: dict[tuple, Term] = {}
    for term in index.terms:
        key = (term.topic_id, term.stems)
        if key not in best or best[key].weight < term.weight:
            best[key] = term
    index.terms = list(best.values())

    topics_with: dict[str, set[int]] = defaultdict(set)
    for number, term in enumerate(index.terms):
        for stem in set(term.stems):
            index.postings[stem].append(number)
            topics_with[stem].add(term.topic_id)
    topic_count = max(len(index.topics), 1)
    for stem, topic_ids in topics_with.items():
        index.idf[stem] = math.log(1 + topic_count / len(topic_ids))
        for gram in trigrams(stem):
            index.grams[gram].add(stem)
        index.sounds[sounds_like(stem)].add(stem)

    for area in index.areas.values():
        for name in {area.name_en, area.name_es, *area.alias_list}:
            stems = tuple(words(name))
            if stems:
                index.area_phrases[stems[0]].append((stems, area.pk))
    for term in index.terms:
        if len(term.stems) > 1:
            index.phrases[term.stems[0]].add(term.stems)
    return index


@lru_cache(maxsize=4096)
def _matches_cached(version: str, stem: str) -> tuple[tuple[str, float], ...]:
    return tuple(_compute_matches(_state["index"], stem).items())


def _matches(index: DirectoryIndex, stem: str) -> dict[str, float]:
    if _state.get("index") is index:
        return dict(_matches_cached(index.version, stem))
    return _compute_matches(index, stem)


def _compute_matches(index: DirectoryIndex, stem: str) -> dict[str, float]:
    if stem in index.idf:
        return {stem: 1.0}
    found: dict[str, float] = dict.fromkeys(index.sounds.get(sounds_like(stem), ()), 0.85)
    if len(stem) < 4:
        return found
    shared: dict[str, int] = defaultdict(int)
    for gram in trigrams(stem):
        for candidate in index.grams.get(gram, ()):
            shared[candidate] += 1
    for candidate, count in shared.items():
        if count < 2 or len(candidate) < 4:
            continue
        prefix = len(os.path.commonprefix([stem, candidate]))
        if len(stem) >= 5 and prefix >= 5 and prefix >= 0.7 * min(len(stem), len(candidate)):
            # The same word with another ending: "evicted" and "eviction", "empadrono" and
            # "empadronamiento".
            found[candidate] = max(found.get(candidate, 0.0), 0.75)
            continue
        if len(stem) < 5:
            continue
        limit = 1 if len(stem) < 9 else 2
        distance = edit_distance(stem, candidate, limit)
        if distance == 1:
            # A first letter is seldom mistyped, but Spanish b and v often swap: "vache".
            found[candidate] = max(
                found.get(candidate, 0.0), 0.85 if stem[0] == candidate[0] else 0.6
            )
        elif distance == 2 <= limit:
            found[candidate] = max(found.get(candidate, 0.0), 0.6)
    return found


_state: dict = {}
_lock = threading.Lock()


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def get_index() -> DirectoryIndex:
    """The index for the directory as it is now; built at most once per change and process."""
    version = current_version()
    index = _state.get("index")
    if (
        index is not None
        and index.version == version
        and time.monotonic() - index.built_at < MAX_AGE
    ):
        return index
    with _lock:
        index = _state.get("index")
        fresh = (
            index is not None
            and index.version == version
            and time.monotonic() - index.built_at < MAX_AGE
        )
        if not fresh:
            index = build_index(version)
            _state["index"] = index
            _matches_cached.cache_clear()
        return index


def _forget() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _state.pop("index", None)


def invalidate() -> None:
    """Forget the index now and once more when the transaction commits, so no process keeps
    an index built from what the transaction had not yet committed."""
    _forget()
    on_commit_once("directory:forget-index", _forget)
