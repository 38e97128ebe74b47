"""The JSON API under /api/v1/, assembled from the router each app declares on its AppConfig
(`api_router`, mounted at `api_prefix`), in the order of INSTALLED_APPS."""

from django.views.decorators.http import require_safe

from agora.accounts.authentication import SIGNED_IN
from agora.core.api.base import AgoraAPI
from agora.core.api.throttling import ApiRateThrottle
from agora.site.registry import declared

DESCRIPTION = """\
The JSON API of Agora.

**Authentication.** A browser uses its signed-in session (the session cookie; POST, PUT, PATCH
and DELETE also need the CSRF token in the `X-CSRFToken` header). Other clients send a personal
access token, created under Settings → API tokens, as `Authorization: Bearer agora_…`.

**Errors.** Every error answers `{"error": {"code": "...", "message": "..."}}` with the
matching HTTP status. `message` is for people and may be translated; `code` is for programs.

**Throttling.** Each account, or each address when not signed in, has a request budget
(120 a minute unless the site sets otherwise); past it the API answers 429 with a
`Retry-After` header.

**Retrying safely.** Send `Idempotency-Key: <a key of your own>` with a POST, and the same
request again with the same key is done once: the first success is answered again, with
`Idempotent-Replayed: true`. The same key with another request answers 422
`idempotency_key_reused`; while the first still runs, 409 `request_in_progress`.
"""


api = AgoraAPI(
    title="Agora API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # The reference at /api/v1/docs is a page of the site (agora/site/api_reference.py): ninja's
    # Swagger UI fails the accessibility checks every page passes.
    docs_url=None,
    docs_decorator=require_safe,
    auth=SIGNED_IN,
    throttle=ApiRateThrottle(),
)
for prefix, router in declared.api_routers():
    api.add_router(prefix, router)
