"""Which directory topic or area a hashtag names. `#streetlights`, `#farolas` and
`#StreetLighting` all name the topic "Street lighting"; `#OldTown` and `#CascoAntiguo` the area
"Old Town". A tag's key is its text folded to lower-case ASCII letters and digits with plurals
reduced (`directory.text`), and the directory offers keys for each topic (slug, names in both
languages, keywords) and each area (slug, names, other names). A key two topics share through
their keywords names neither; a slug or a name beats a keyword."""

from dataclasses import dataclass, field

from agora.directory.text import WORD, fold, stem

MIN_KEY_LENGTH = 3


def tag_key(text: str) -> str:
    """ "Street lights" and "#StreetLights" -> "streetlight"."""
    return stem("".join(WORD.findall(fold(text))))[:50]


@dataclass
class Vocabulary:
    topics: dict[str, int] = field(default_factory=dict)  # key -> topic id
    areas: dict[str, int] = field(default_factory=dict)  # key -> area id


def _claim(found: dict[str, int], strong: set, weak_claims: dict, texts, thing_id, *, weak):
    for text in texts:
        key = tag_key(text)
        if len(key) < MIN_KEY_LENGTH:
            continue
        if not weak:
            strong.add(key)
            found.setdefault(key, thing_id)
        else:
            weak_claims.setdefault(key, set()).add(thing_id)


def _keys(entries, strong_texts, weak_texts) -> dict[str, int]:
    found: dict[str, int] = {}
    strong: set[str] = set()
    weak: dict[str, set[int]] = {}
    for entry in sorted(entries, key=lambda entry: entry.pk):
        _claim(found, strong, weak, strong_texts(entry), entry.pk, weak=False)
        _claim(found, strong, weak, weak_texts(entry), entry.pk, weak=True)
    for key, owners in weak.items():
        if key not in strong and len(owners) == 1:
            found[key] = next(iter(owners))
    return found


def _split(text: str) -> list[str]:
    return [part for part in (text or "").split(";") if part.strip()]


def build_vocabulary(topics, areas) -> Vocabulary:
    """From any topic and area objects with the directory's fields (migrations pass
    historical models)."""
    return Vocabulary(
        topics=_keys(
            topics,
            lambda topic: [topic.slug, topic.name_en, topic.name_es],
            lambda topic: _split(topic.keywords_en) + _split(topic.keywords_es),
        ),
        areas=_keys(
            areas,
            lambda area: [area.slug, area.name_en, area.name_es],
            lambda area: _split(area.aliases),
        ),
    )


def vocabulary() -> Vocabulary:
    """The vocabulary of the directory as it is now, built once per version of the routing
    index (which already holds every topic and area in memory)."""
    from agora.directory.index import get_index

    index = get_index()
    if "hashtag_vocabulary" not in index.derived:
        index.derived["hashtag_vocabulary"] = build_vocabulary(
            index.topics.values(), index.areas.values()
        )
    return index.derived["hashtag_vocabulary"]
