"""The JSON API under /api/v1/. Each app contributes a router from its own api module."""

from ninja import NinjaAPI

api = NinjaAPI(title="Agora API", version="1", urls_namespace="api")
