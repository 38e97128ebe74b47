from django.urls import path

from agora.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/language/", views.set_language, name="set_language"),
]
