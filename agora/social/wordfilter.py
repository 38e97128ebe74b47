"""A person's own word filter: posts and comments holding a word or phrase they listed fold
away behind "Hidden by your word filter", for them alone. The list is read from the cache (one
entry per person, read when they sign in and when they change it), so a feed page costs no
query more."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agora.social.models import MutedWord

MAX_WORDS = 50


def _key(person_id: int) -> str:
    return f"social:muted-words:{person_id}"


def remember(person) -> tuple[str, ...]:
    """Read the person's list into the cache (at sign-in, and when the cache lost it)."""
    words = tuple(
        phrase.casefold()
        for phrase in MutedWord.objects.filter(person=person).values_list("phrase", flat=True)
    )
    cache.set(_key(person.pk), words, timeout=30 * 24 * 60 * 60)
    return words


def muted_words(person) -> tuple[str, ...]:
    if not person.is_authenticated:
        return ()
    words = cache.get(_key(person.pk))
    return remember(person) if words is None else words


def matching(text: str, words: tuple[str, ...]) -> str:
    """The first listed word the text holds ("" for none)."""
    folded = text.casefold()
    return next((word for word in words if word in folded), "")


@transaction.atomic
def mute_word(phrase: str, *, by) -> MutedWord:
    phrase = " ".join(phrase.split())
    if not phrase:
        raise ValidationError({"phrase": _("Write the word or phrase to hide.")})
    if len(phrase) > 100:
        raise ValidationError({"phrase": _("Use at most 100 characters.")})
    if MutedWord.objects.filter(person=by).count() >= MAX_WORDS:
        raise ValidationError(
            {"phrase": _("You can list at most %(count)d words.") % {"count": MAX_WORDS}}
        )
    if phrase.casefold() in muted_words(by):
        raise ValidationError({"phrase": _("This is already on your list.")})
    try:
        with transaction.atomic():
            word = MutedWord.objects.create(person=by, phrase=phrase)
    except IntegrityError:
        raise ValidationError({"phrase": _("This is already on your list.")}) from None
    remember(by)  # now, for this request; again once committed, for everyone else's
    transaction.on_commit(lambda: remember(by))
    return word


@transaction.atomic
def unmute_word(word_id: int, *, by) -> None:
    MutedWord.objects.filter(pk=word_id, person=by).delete()
    remember(by)
    transaction.on_commit(lambda: remember(by))
