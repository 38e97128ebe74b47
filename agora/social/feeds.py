"""Read paths for posts: the home feed, the latest page, a profile's posts and a tag's posts.
Each is one queryset built on `permissions.visible_posts`, paged by a keyset cursor (newest
first, no offsets) and fetched in a constant number of queries."""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.where import AND, WhereNode
from django.utils.dateparse import parse_datetime

from agora.accounts.models import Role
from agora.directory.models import Responsibility
from agora.social.models import (
    AreaFollow,
    Follow,
    OfficeFollow,
    Post,
    PostImage,
    PostLike,
    TopicFollow,
)
from agora.social.permissions import visible_posts

PAGE_SIZE = 20


class FeedFilter:
    EVERYONE = "everyone"
    PEOPLE = "people"
    OFFICIAL = "official"
    ALL = (EVERYONE, PEOPLE, OFFICIAL)


def followed_sources(viewer) -> Q:
    """What the home feed shows, as one condition on posts built from subqueries (no query of
    its own): the viewer's own posts; the personal posts of the people they follow; the
    announcements of the offices they follow; the announcements of the offices responsible
    in an area they follow (a responsibility recorded for that very area, not for the areas
    around or inside it); and the posts with a tag linked to a topic or an area they follow
    (`agora.directory.hashtags`). An official's announcements come with their office, not
    with them: following the person brings only what they say for themselves. A participation
    process, once it exists, is one more clause (see `agora.social.sources`). The checks of
    `visible_posts` still apply: following someone who later hid their profile shows nothing
    of theirs."""
    followed_people = Follow.objects.filter(follower=viewer).values("followee")
    offices = OfficeFollow.objects.filter(follower=viewer).values("office")
    topics = TopicFollow.objects.filter(follower=viewer).values("topic")
    areas = AreaFollow.objects.filter(follower=viewer).values("area")
    offices_in_areas = Responsibility.objects.filter(area__in=areas).values("office")
    tagged = Post.tags.through.objects.filter(
        Q(tag__topic__in=topics) | Q(tag__area__in=areas)
    ).values("post")
    return (
        Q(author=viewer)
        | Q(author__in=followed_people, office__isnull=True)
        | Q(office__in=offices)
        | Q(office__in=offices_in_areas)
        | Q(pk__in=tagged)
    )


def official_posts() -> Q:
    """What the "official sources only" filter keeps and "people only" leaves out: the
    announcements of offices, and whatever accounts with the official role post."""
    return Q(office__isnull=False) | Q(author__role=Role.OFFICIAL)


def with_details(viewer, posts: QuerySet) -> QuerySet:
    """Everything a post card shows, in a constant number of queries whatever the page size:
    the posts with their authors, their images, and the shared posts the viewer may see with
    their authors and images (a share of a hidden post finds `shared_post` empty)."""
    return details_for(viewer)(posts)


def detailed(viewer, post: Post) -> Post:
    """One post with everything its card shows, as `with_details` gives them."""
    return with_details(viewer, Post.objects.filter(pk=post.pk)).get()


def details_for(viewer) -> Callable[[QuerySet], QuerySet]:
    """`with_details` as a function built once, for a read path that may apply it to two
    querysets (the home feed's general and per-author plans): the prefetch querysets carry
    the visibility rules, whose building is a good part of a page's time."""
    images = PostImage.objects.order_by("position")
    originals = visible_posts(viewer, hide_muted=False).select_related("author", "office")
    prefetches = (
        Prefetch("images", queryset=images),
        Prefetch("shared_post", queryset=originals),
        Prefetch("shared_post__images", queryset=images),
    )
    liked = None
    if viewer.is_authenticated:
        liked = Exists(PostLike.objects.filter(user=viewer, post=OuterRef("pk")))

    def apply(posts: QuerySet) -> QuerySet:
        posts = posts.select_related("author", "office").prefetch_related(*prefetches)
        return posts if liked is None else posts.annotate(liked=liked)

    return apply


def apply_feed_filter(posts: QuerySet, feed_filter: str) -> QuerySet:
    if feed_filter == FeedFilter.PEOPLE:
        return posts.exclude(official_posts())
    if feed_filter == FeedFilter.OFFICIAL:
        return posts.filter(official_posts())
    return posts


def home_feed(viewer, *, feed_filter: str = FeedFilter.EVERYONE) -> QuerySet:
    """The general plan: the database walks all posts newest first (index social_post_new)
    and keeps those from the followed sources, which it hashes once. On PostgreSQL, `page_of`
    first tries the per-author plan below (`_fast_page`), which serves the same posts; only
    this very queryset carries it, so anything derived from it takes the general plan."""
    sources = followed_sources(viewer)
    base = apply_feed_filter(visible_posts(viewer, Post.objects.filter(sources)), feed_filter)
    details = details_for(viewer)
    posts = details(base)
    if connection.vendor == "postgresql":
        posts.fast_page = partial(_fast_page, sources, base, details)
    return posts


def latest(viewer) -> QuerySet:
    return with_details(viewer, visible_posts(viewer))


def profile_posts(viewer, owner) -> QuerySet:
    return with_details(
        viewer, visible_posts(viewer, Post.objects.filter(author=owner), hide_muted=False)
    )


def tag_posts(viewer, tag) -> QuerySet:
    return with_details(viewer, visible_posts(viewer, Post.objects.filter(tags=tag)))


def office_posts(viewer, office) -> QuerySet:
    """An office's announcements (index social_post_office_new)."""
    return with_details(viewer, visible_posts(viewer, Post.objects.filter(office=office)))


def topic_posts(viewer, topic) -> QuerySet:
    """Posts with a tag linked to the topic; a post with two such tags comes once."""
    tagged = Post.tags.through.objects.filter(tag__topic=topic).values("post")
    return with_details(viewer, visible_posts(viewer, Post.objects.filter(pk__in=tagged)))


def encode_cursor(post: Post) -> str:
    raw = f"{post.created_at.isoformat()}|{post.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """A cursor from a link or a client; anything malformed reads as no cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _sep, pk = raw.partition("|")
        created_at = parse_datetime(stamp)
        if created_at is None or created_at.tzinfo is None:  # ours always carry an offset
            return None
        return created_at, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class FeedPage:
    items: list
    next_cursor: str | None


def page_of(posts: QuerySet, cursor: str | None, *, size: int = PAGE_SIZE) -> FeedPage:
    """One page, newest first, after the cursor; the cursor of the next page or None. A
    home feed's queryset may carry its per-author plan (`fast_page`), which then picks the
    page's posts itself."""
    position = decode_cursor(cursor) if cursor else None
    fast_page = getattr(posts, "fast_page", None)
    narrowed = fast_page(position, size + 1) if fast_page else None
    if narrowed is not None:
        posts = narrowed
    elif position is not None:
        posts = posts.filter(_after(position))
    items = list(posts.order_by("-created_at", "-id")[: size + 1])
    next_cursor = encode_cursor(items[size - 1]) if len(items) > size else None
    return FeedPage(items=items[:size], next_cursor=next_cursor)


# The home feed's fast path -------------------------------------------------------------------
#
# The general plan walks all posts newest first (index social_post_new) and keeps those of the
# followed sources: it reads about (all posts / posts of the sources) × page size rows, which
# is 500 for someone following 5,000 of 100,000 people, 10,000 for someone following 200,
# 40,000 for the typical person following 50, and the whole table for someone following
# nobody. On PostgreSQL, for a viewer whose followed sources come down to few enough authors,
# the database instead reads each author's newest posts after the cursor through
# social_post_author_new (a LATERAL top-N per author, with the same `visible_posts` rules,
# sources and feed filter inside) and keeps the newest of those: at most authors × page size
# rows, whatever the size of the table. SQLite keeps the general plan.
#
# Which authors: the clauses of `followed_sources` that name their authors (`author=person`,
# `author__in=subquery`, alone or with more conditions on the post). Its other clauses
# (`office__in=...`, `pk__in=...`: posts by anybody) must provably match nothing for this
# viewer, which one EXISTS per clause checks. A clause of any other shape sends every page to
# the general plan, so a new clause in `followed_sources` is always served right, and served
# fast once it is recognised here.
#
# Which plan is cheaper depends on the number of authors A, the number of people N and the
# posts per person: the walk reads about page × N / A rows, the per-author plan about
# A × min(posts per person, page) rows, each of which costs about FAST_PATH_ROW_COST times a
# row of the walk (an index descent and a join per author, rows scattered over the table;
# measured with bench/social.py). The per-author plan is taken when it reads fewer weighted
# rows, always for up to FAST_PATH_MIN_AUTHORS authors (a bounded cost, whatever N) and never
# for more than FAST_PATH_MAX_AUTHORS. N and the posts come from the planner's statistics
# (pg_class.reltuples), which cost nothing to read. At 100,000 people and 1,000,000 posts the
# per-author plan wins below about 160 authors; at 10 million people below about 1,600.
#
# The check and the candidate ids are one query, the page's posts by id a second; the general
# plan pays the check too, so a page is always the same number of queries (remembering who
# walks would save the check, but make a page's query count depend on the pages before).
#
# No new index: a covering variant of social_post_author_new (INCLUDE visibility, office) was
# measured and made no difference, the time going to the visibility checks, not the heap.

FAST_PATH_MIN_AUTHORS = 50
FAST_PATH_MAX_AUTHORS = 2000
FAST_PATH_ROW_COST = 8
_SQL = tuple[str, list]


def _compiled(queryset: QuerySet) -> _SQL:
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql, list(params)


def _authors_named_by(clause) -> list | None:
    """The author ids (ints) and author-id subqueries a clause restricts posts to, or None
    when it does not restrict them to named authors."""
    if isinstance(clause, tuple):
        lookup, value = clause
        if lookup == "author" and isinstance(value, Model):
            return [value.pk]
        if lookup == "author__in" and isinstance(value, QuerySet):
            return [value]
        return None
    if isinstance(clause, Q) and clause.connector == Q.AND and not clause.negated:
        # One named set among the conditions is enough: the others only narrow it down.
        found = (_authors_named_by(child) for child in clause.children)
        return next((authors for authors in found if authors is not None), None)
    return None


def _may_match(clause) -> _SQL | None:
    """SQL that is false only when the clause surely matches no post, or None when that
    cannot be told from the clause. A clause `field__in=ids` matches nothing when its id set
    is empty; when that set is itself built on smaller sets (the posts with a tag of a
    followed topic: the followed topics), the smaller sets are checked instead, since an
    EXISTS over a large table may cost more than the page."""
    if isinstance(clause, tuple):
        lookup, value = clause
        if lookup.endswith("__in") and isinstance(value, QuerySet):
            return _set_may_have_rows(value.query)
    return None


def _set_may_have_rows(query: Query) -> _SQL:
    narrowed = _where_may_match(query.where)
    if narrowed is not None:
        return narrowed
    sql, params = query.get_compiler(connection=connection).as_sql()
    return f"EXISTS ({sql})", list(params)


def _where_may_match(node) -> _SQL | None:
    """`_may_match` for the compiled conditions of an id set's own query."""
    if isinstance(node, WhereNode):
        if node.negated:
            return None
        parts = [_where_may_match(child) for child in node.children]
        return _combined(parts, node.connector == AND)
    if isinstance(node, Lookup) and node.lookup_name == "in" and isinstance(node.rhs, Query):
        return _set_may_have_rows(node.rhs)
    return None


def _combined(parts: list, conjunction: bool) -> _SQL | None:
    """All of the parts (unknown ones drop out) or any of them (an unknown one is unknown)."""
    if conjunction:
        parts = [part for part in parts if part is not None]
        if not parts:
            return None
    elif any(part is None for part in parts):
        return None
    joiner = " AND " if conjunction else " OR "
    return (
        "(" + joiner.join(sql for sql, _params in parts) + ")",
        [param for _sql, params in parts for param in params],
    )


def _authors_sql(authors: list) -> tuple[str, str, list]:
    """The authors as one SELECT twice over: a UNION for the set, a UNION ALL to count them
    quickly; both take the same parameters."""
    ids = [author for author in authors if not isinstance(author, QuerySet)]
    parts = [_compiled(author) for author in authors if isinstance(author, QuerySet)]
    if ids:
        parts.append(("SELECT unnest(%s::bigint[])", [ids]))
    selects = [f"({sql})" for sql, _params in parts]
    params = [param for _sql, params in parts for param in params]
    return " UNION ".join(selects), " UNION ALL ".join(selects), params


def _after(position) -> Q:
    created_at, pk = position
    return Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)


def _fast_page(
    sources: Q, base: QuerySet, details: Callable, position, limit: int
) -> QuerySet | None:
    """The page's posts, with details, through the per-author plan; None when the general
    plan must serve this viewer. `base` is the general plan's queryset without the details:
    each author's top-N is that queryset for the one author, so every rule of the general
    plan (sources, `visible_posts`, feed filter) holds inside it."""
    clauses = sources.children if sources.connector == Q.OR and not sources.negated else [sources]
    authors, gates = [], []
    for clause in clauses:
        named = _authors_named_by(clause)
        if named is not None:
            authors += named
            continue
        gate = _may_match(clause)
        if gate is None:
            return None
        gates.append(gate)
    if not authors:
        return None
    per_author = base.filter(
        author_id=RawSQL('"source"."author_id"', (), output_field=BigIntegerField())
    )
    if position is not None:
        per_author = per_author.filter(_after(position))
    inner, inner_params = _compiled(
        per_author.order_by("-created_at", "-id").values("id", "created_at")[:limit]
    )
    # Every piece of SQL below is compiled by Django, its values passed as parameters.
    source, listed, source_params = _authors_sql(authors)
    cheaper = (
        "(sized.authors <= %s OR (sized.authors <= %s AND sized.authors * sized.authors"
        " * LEAST(sized.posts / sized.people, %s) * %s <= %s * sized.people))"
    )
    condition = " AND ".join([cheaper] + [f"NOT {sql}" for sql, _params in gates])
    statement = (
        f"SELECT ARRAY(SELECT page.id FROM ({source}) AS source (author_id) "  # noqa: S608
        f"CROSS JOIN LATERAL ({inner}) AS page "
        "ORDER BY page.created_at DESC, page.id DESC LIMIT %s) "
        f"FROM (SELECT (SELECT count(*) FROM ({listed} LIMIT %s) AS listed) AS authors, "
        "(SELECT GREATEST(reltuples, 1) FROM pg_class WHERE oid = %s::regclass) AS people, "
        "(SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass) AS posts"
        f") AS sized WHERE {condition}"
    )
    params = [
        *source_params,
        *inner_params,
        limit,
        *source_params,
        FAST_PATH_MAX_AUTHORS + 1,
        Post._meta.get_field("author").related_model._meta.db_table,
        Post._meta.db_table,
        FAST_PATH_MIN_AUTHORS,
        FAST_PATH_MAX_AUTHORS,
        limit,
        FAST_PATH_ROW_COST,
        limit,
        *(param for _sql, gate_params in gates for param in gate_params),
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return details(Post.objects.filter(pk__in=row[0]))
