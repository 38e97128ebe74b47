"""Proposal pages: a proposal, proposing in a process, editing, and its buttons."""

from django.urls import path, re_path

from agora.proposals import syndication, views

app_name = "proposals"

urlpatterns = [
    re_path(
        r"^feeds/(?P<slug>[a-z0-9-]{1,80})\.(?P<form>rss|atom)$",
        syndication.proposal_feed,
        name="feed",
    ),
    path("new/<slug:slug>/", views.propose, name="propose"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/withdraw-support/", views.withdraw_support, name="withdraw_support"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/image/", views.image, name="image"),
]
