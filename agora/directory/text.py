"""Text as the router compares it: folded to lower-case ASCII, split into words, without the
little words of English and Spanish, plurals reduced, and a bounded edit distance for typos.

The same steps run over the directory's vocabulary and over a request, so they only need to be
consistent, not linguistically exact: "farolas" and "farola" meet at one stem, as do "streetlights"
and "streetlight", "contenedores" and "contenedor"."""

import re
import unicodedata

WORD = re.compile(r"[a-z0-9]+")

# The little words of English and Spanish, which say nothing about the topic.
STOPWORD_TEXT = """
    a an the and or but of in on at to for from by with without about into over under near is
    are was were be been being am do does did done have has had having it its it's this that
    these those there here i me my we our us you your he she they them their his her what which
    who whom whose where when why how can could would should will shall may might must not no
    yes please thanks thank hello hi hey dear sir madam anyone someone somebody some any all
    very too also just still again there's isn't aren't doesn't don't can't who's need needs
    want wants like get got getting know let tell s t up out off so if then than as el la los
    las un una unos unas y o u de del al en con sin por para sobre entre hasta desde es son
    esta estan estoy esto ese esa eso este estos estas hay ha han he hemos era fue que quien
    quienes donde cuando como cual cuales porque pero mas muy ya tambien todavia mi mis tu tus
    su sus nuestro nuestra nos me te se le les lo yo hola gracias favor buenos buenas dias
    tardes alguien necesito quiero quisiera puedo puede pueden hacer saber tiene tienen tengo
    tenemos visto veo
"""
STOPWORDS = frozenset(STOPWORD_TEXT.split())


def fold(text: str) -> str:
    """Lower-case without accents: "Añadir CAMIÓN" -> "anadir camion"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """Reduce English and Spanish plurals, and a final e, so singular and plural meet."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "i"
    elif word.endswith("s") and word[-2] not in "sui":
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"
    return word


def words(text: str) -> list[str]:
    """The stems of the words that carry meaning, in order."""
    return [stem(word) for word in WORD.findall(fold(text)) if word not in STOPWORDS]


SOUNDS = [
    (re.compile(r"v"), "b"),
    (re.compile(r"c(?=[ei])|z"), "s"),
    (re.compile(r"ll"), "y"),
    (re.compile(r"(?<![cs])h"), ""),
    (re.compile(r"qu|k"), "c"),
    (re.compile(r"(.)\1"), r"\1"),
]


def sounds_like(word: str) -> str:
    """A key that words spelt differently but said alike share, for the slips of people who
    write as they speak: "vache" and "bache", "yuvia" and "lluvia", "ielo" and "hielo"."""
    for pattern, replacement in SOUNDS:
        word = pattern.sub(replacement, word)
    return word


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def edit_distance(first: str, second: str, limit: int) -> int:
    """Damerau-Levenshtein distance (with adjacent transpositions), or limit + 1 once it is
    certain to be more than `limit`."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, start=1):
        current = [row] + [0] * len(second)
        for column, other in enumerate(second, start=1):
            cost = 0 if char == other else 1
            current[column] = min(
                previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost
            )
            if row > 1 and column > 1 and char == second[column - 2] and first[row - 2] == other:
                current[column] = min(current[column], previous_previous[column - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
