"""Petition pages: the list, a petition and its buttons, starting one, co-sponsoring by the
private link, confirming a signature, moderation and the office's forms."""

from django.urls import path, re_path

from agora.petitions import syndication, views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    re_path(r"^feed\.(?P<form>rss|atom)$", syndication.petition_feed, name="feed"),
    path("new/", views.start, name="start"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/collect/", views.collect, name="collect"),
    path("<int:pk>/cosponsor/<str:token>/", views.cosponsor, name="cosponsor"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/debate/", views.debate, name="debate"),
    path("<int:pk>/integrity/", views.integrity, name="integrity"),
]
