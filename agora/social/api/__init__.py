"""The social part of the JSON API: relationships, posts, comments, likes, shares, feeds,
followed sources and search. Endpoints parse, check access with the same predicates as the
pages and call one service function; every list of posts is paged by cursor.

One router, mounted at the API's root, gathers a router per subject; each path lives in one
subject, as ninja answers all the methods of a path from the router that declares it."""

from ninja import Router

from agora.social.api import announcements, comments, people, posts, search, sources

router = Router(tags=["social"])
for subject in (people, posts, announcements, comments, sources, search):
    router.add_router("", subject.router)
