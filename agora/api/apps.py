"""The JSON API: one NinjaAPI assembled from each app's api module."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agora.api"
    label = "api"
    verbose_name = "API"
