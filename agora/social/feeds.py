"""Read paths for posts: the home feed, the latest page, a profile's posts and a tag's posts.
Each is one queryset built on `permissions.visible_posts`, paged by a keyset cursor (newest
first, no offsets) and fetched in a constant number of queries."""

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

from agora.accounts.kinds import AccountKind
from agora.accounts.models import Role, User
from agora.core.paging import Page, after, decode_cursor, encode_cursor, page_by_time
from agora.core.prepared import compiled, prepared
from agora.social.models import Follow, Post, PostImage, PostLike
from agora.social.permissions import visible_posts
from agora.social.sources import SOURCE_KINDS

PAGE_SIZE = 20


class FeedFilter:
    EVERYONE = "everyone"
    PEOPLE = "people"
    OFFICIAL = "official"
    # By the kind of voice (`accounts.kinds`): an office's announcements are institutional
    # whoever typed them; a person's own posts are of their account's kind.
    INSTITUTIONAL = "institutional"
    POLITICAL = "political"
    RESIDENTS = "residents"
    ALL = (EVERYONE, PEOPLE, OFFICIAL, INSTITUTIONAL, POLITICAL, RESIDENTS)


def followed_sources(viewer) -> Q:
    """What the home feed shows, as one condition on posts built from subqueries (no query of
    its own): the viewer's own posts; the personal posts of the people they follow; the
    announcements of the offices they follow; the announcements of the offices responsible
    in an area they follow (a responsibility recorded for that very area, not for the areas
    around or inside it); and the posts with a tag linked to a topic or an area they follow
    (`agora.directory.hashtags`). An official's announcements come with their office, not
    with them: following the person brings only what they say for themselves. Each kind of
    source brings its own clause (`agora.social.sources`). The checks of
    `visible_posts` still apply: following someone who later hid their profile shows nothing
    of theirs."""
    followed_people = Follow.objects.filter(follower=viewer).values("followee")
    condition = Q(author=viewer) | Q(author__in=followed_people, office__isnull=True)
    for kind in SOURCE_KINDS.values():
        condition |= kind.posts(kind.followed_by(viewer))
    return condition


def official_posts() -> Q:
    """What the "official sources only" filter keeps and "people only" leaves out: the
    announcements of offices, and whatever accounts with the official role post."""
    return Q(office__isnull=False) | Q(author__role=Role.OFFICIAL)


def with_details(viewer, posts: QuerySet) -> QuerySet:
    """Everything a post card shows, in a constant number of queries whatever the page size:
    the posts with their authors, their images, and the shared posts the viewer may see with
    their authors and images (a share of a hidden post finds `shared_post` empty). On
    PostgreSQL the originals the viewer may see are a subquery compiled once per kind of
    viewer (`visible_post_ids`), looked up by id for the page's few originals; SQLite would
    list that subquery whole, every visible post, so there they are `visible_posts` itself."""
    images = PostImage.objects.order_by("position")
    if connection.vendor == "postgresql":
        originals = Post.objects.filter(pk__in=visible_post_ids(viewer))
    else:
        originals = visible_posts(viewer, hide_muted=False, include_expired=True)
    posts = posts.select_related("author", "office", "election_period").prefetch_related(
        Prefetch("images", queryset=images),
        Prefetch("shared_post", queryset=originals.select_related("author", "office")),
        Prefetch("shared_post__images", queryset=images),
    )
    if not viewer.is_authenticated:
        return posts
    return posts.annotate(liked=Exists(PostLike.objects.filter(user=viewer, post=OuterRef("pk"))))


def detailed(viewer, post: Post) -> Post:
    """One post with everything its card shows, as `with_details` gives them."""
    return with_details(viewer, Post.objects.filter(pk=post.pk)).get()


def visible_post_ids(viewer) -> RawSQL:
    """The ids of the posts the viewer may read, muted authors included (a share shows its
    original whoever wrote it), as a subquery: `visible_posts` compiled once per kind of
    viewer and bound to this one (`agora.core.prepared`)."""
    if not viewer.is_authenticated:
        statement = prepared(
            ("visible post ids", "visitor"),
            {},
            lambda _values: compiled(
                visible_posts(viewer, hide_muted=False, include_expired=True).values("id")
            ),
        )
        return RawSQL(*statement.bind())  # noqa: S611 (compiled by Django)
    statement = prepared(
        ("visible post ids", "member"),
        {"viewer": "int"},
        lambda values: compiled(
            visible_posts(_person(values["viewer"]), hide_muted=False, include_expired=True).values(
                "id"
            )
        ),
    )
    return RawSQL(*statement.bind(viewer=viewer.pk))  # noqa: S611 (compiled by Django)


def _person(pk: int) -> User:
    """A signed-in person known only by id, for compiling their statements."""
    return User(pk=pk)


def apply_feed_filter(posts: QuerySet, feed_filter: str) -> QuerySet:
    if feed_filter == FeedFilter.PEOPLE:
        return posts.exclude(official_posts())
    if feed_filter == FeedFilter.OFFICIAL:
        return posts.filter(official_posts())
    if feed_filter == FeedFilter.INSTITUTIONAL:
        return posts.filter(Q(office__isnull=False) | Q(author__kind=AccountKind.INSTITUTIONAL))
    if feed_filter == FeedFilter.POLITICAL:
        return posts.filter(office__isnull=True, author__kind=AccountKind.POLITICAL)
    if feed_filter == FeedFilter.RESIDENTS:
        return posts.filter(office__isnull=True, author__kind=AccountKind.RESIDENT)
    return posts


def home_feed(viewer, *, feed_filter: str = FeedFilter.EVERYONE) -> QuerySet:
    """The home feed as one queryset: the posts of the followed sources the viewer may read.
    Pages and the API serve it through `home_page`, which picks each page's posts with a
    statement compiled once; this queryset is the same rule for everything else (counting,
    a test's reference)."""
    return with_details(viewer, _home_posts(viewer, feed_filter))


def _home_posts(viewer, feed_filter: str) -> QuerySet:
    posts = visible_posts(viewer, Post.objects.filter(followed_sources(viewer)))
    return apply_feed_filter(posts, feed_filter)


def latest(viewer, *, feed_filter: str = FeedFilter.EVERYONE) -> QuerySet:
    return with_details(viewer, apply_feed_filter(visible_posts(viewer), feed_filter))


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


def page_of(posts: QuerySet, cursor: str | None, *, size: int = PAGE_SIZE) -> Page:
    """One page of posts, newest first, after the cursor (`core.paging`)."""
    return page_by_time(posts, cursor, size=size)


def home_page(
    viewer, cursor: str | None, *, feed_filter: str = FeedFilter.EVERYONE, size: int = PAGE_SIZE
) -> Page:
    """A page of the home feed: `home_feed`'s posts, picked by one statement (below) and
    fetched by id with everything their cards show."""
    position = decode_cursor(cursor) if cursor else None
    ids, _plan = home_page_ids(viewer, position, feed_filter=feed_filter, limit=size + 1)
    posts = with_details(viewer, Post.objects.filter(pk__in=ids[:size]))
    items = list(posts.order_by("-created_at", "-id"))
    # Whether there is more is the picking's to say: a post deleted in between is one card
    # less on this page, not the end of the feed.
    more = len(ids) > size and items
    return Page(items=items, next_cursor=encode_cursor(items[-1]) if more else None)


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
# rows, whatever the size of the table. SQLite walks.
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
# One statement picks the page's ids: on PostgreSQL it weighs the two plans and runs only the
# one it chose (each is an uncorrelated subquery under CASE, evaluated only when reached), so a
# page is always the same number of queries; the page's posts by id are a second. Building and
# compiling that statement's querysets (a few dozen subqueries) costs more than running it, so
# it is compiled once per feed filter, cursor or none, and page size, with stand-ins for the
# viewer and the cursor (`agora.core.prepared`), and each page binds its own values.
#
# No new index: a covering variant of social_post_author_new (INCLUDE visibility, office) was
# measured and made no difference, the time going to the visibility checks, not the heap.

FAST_PATH_MIN_AUTHORS = 50
FAST_PATH_MAX_AUTHORS = 2000
FAST_PATH_ROW_COST = 8
_SQL = tuple[str, list]


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
    parts = [compiled(author) for author in authors if isinstance(author, QuerySet)]
    if ids:
        parts.append(("SELECT unnest(%s::bigint[])", [ids]))
    selects = [f"({sql})" for sql, _params in parts]
    params = [param for _sql, params in parts for param in params]
    return " UNION ".join(selects), " UNION ALL ".join(selects), params


def home_page_ids(viewer, position, *, feed_filter: str, limit: int) -> tuple[list[int], str]:
    """The ids of a home page's posts (at most `limit`, newest first after `position`) and
    the plan that found them, "per author" or "walk"."""
    with connection.cursor() as cursor:
        cursor.execute(
            *bound_home_statement(viewer, position, feed_filter=feed_filter, limit=limit)
        )
        if connection.vendor != "postgresql":
            return [row[0] for row in cursor.fetchall()], "walk"
        ids, per_author = cursor.fetchone()
    return ids, "per author" if per_author else "walk"


def bound_home_statement(viewer, position, *, feed_filter: str, limit: int) -> _SQL:
    """`home_statement` compiled once for its shape and bound to this viewer and position."""
    slots, values = {"viewer": "int"}, {"viewer": viewer.pk}
    if position is not None:
        slots |= {"before_time": "datetime", "before_id": "int"}
        values |= {"before_time": position[0], "before_id": position[1]}
    statement = prepared(
        ("home page", feed_filter, position is not None, limit, _plan_weights()),
        slots,
        lambda stand_ins: home_statement(
            _person(stand_ins["viewer"]),
            (stand_ins["before_time"], stand_ins["before_id"]) if position else None,
            feed_filter=feed_filter,
            limit=limit,
        ),
    )
    return statement.bind(**values)


def _plan_weights() -> tuple[int, int, int]:
    return FAST_PATH_MIN_AUTHORS, FAST_PATH_MAX_AUTHORS, FAST_PATH_ROW_COST


def home_statement(viewer, position, *, feed_filter: str, limit: int) -> _SQL:
    """The statement `home_page_ids` runs, compiled for this viewer and position: on SQLite
    the walk's rows; on PostgreSQL one row, the ids and whether the per-author plan found
    them. Every piece of SQL in it is compiled by Django, its values passed as parameters."""
    sources = followed_sources(viewer)
    base = _home_posts(viewer, feed_filter)
    walk = base if position is None else base.filter(after(position))
    walk_sql, walk_params = compiled(walk.order_by("-created_at", "-id").values("id")[:limit])
    if connection.vendor != "postgresql":
        return walk_sql, walk_params
    per_author = _per_author_choice(sources, base, position, limit)
    if per_author is None:
        return f"SELECT ARRAY({walk_sql}), false", walk_params  # noqa: S608
    choice_sql, choice_params, page_sql, page_params = per_author
    statement = (
        "SELECT CASE WHEN chosen.per_author THEN "  # noqa: S608
        f"ARRAY({page_sql}) ELSE ARRAY({walk_sql}) END, chosen.per_author "
        f"FROM ({choice_sql} OFFSET 0) AS chosen"  # OFFSET 0: decide once, not per use
    )
    return statement, [*page_params, *walk_params, *choice_params]


def _per_author_choice(sources: Q, base: QuerySet, position, limit: int) -> tuple | None:
    """For the per-author plan: a one-row SELECT of `per_author`, true when it is the cheaper
    plan and the viewer's other sources match nothing, and the page's ids through it; None
    when the sources' shape is not one it can serve. `base` is the walk's queryset without a
    cursor: each author's top-N is that queryset for the one author, so every rule of the
    walk (sources, `visible_posts`, feed filter) holds inside it."""
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
        per_author = per_author.filter(after(position))
    inner, inner_params = compiled(
        per_author.order_by("-created_at", "-id").values("id", "created_at")[:limit]
    )
    source, listed, source_params = _authors_sql(authors)
    page_sql = (
        f"SELECT page.id FROM ({source}) AS source (author_id) "  # noqa: S608
        f"CROSS JOIN LATERAL ({inner}) AS page "
        "ORDER BY page.created_at DESC, page.id DESC LIMIT %s"
    )
    cheaper = (
        "(sized.authors <= %s OR (sized.authors <= %s AND sized.authors * sized.authors"
        " * LEAST(sized.posts / sized.people, %s) * %s <= %s * sized.people))"
    )
    condition = " AND ".join([cheaper] + [f"NOT {sql}" for sql, _params in gates])
    choice_sql = (
        f"SELECT {condition} AS per_author "  # noqa: S608
        f"FROM (SELECT (SELECT count(*) FROM ({listed} LIMIT %s) AS listed) AS authors, "
        "(SELECT GREATEST(reltuples, 1) FROM pg_class WHERE oid = %s::regclass) AS people, "
        "(SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass) AS posts"
        ") AS sized"
    )
    choice_params = [
        FAST_PATH_MIN_AUTHORS,
        FAST_PATH_MAX_AUTHORS,
        limit,
        FAST_PATH_ROW_COST,
        limit,
        *(param for _sql, gate_params in gates for param in gate_params),
        *source_params,
        FAST_PATH_MAX_AUTHORS + 1,
        User._meta.db_table,
        Post._meta.db_table,
    ]
    return choice_sql, choice_params, page_sql, [*source_params, *inner_params, limit]
