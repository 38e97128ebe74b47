"""Questions and problem reports: asking, a case with its timeline and comments, following,
my cases and the ones I follow, office inboxes."""

from django.urls import path

from agora.cases import map as case_map
from agora.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("new/check/", views.check, name="check"),
    path("new/start-again/", views.discard_draft, name="discard_draft"),
    path("map.geojson", case_map.points, name="map_points"),
    path("record/", views.record, name="record"),
    path("claim/", views.claim, name="claim"),
    path("following/", views.following, name="following"),
    path("comments/<int:comment_id>/like/", views.like_comment, name="like_comment"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete_comment"),
    path("accountability/", views.accountability, name="accountability"),
    path("accountability/<slug:office_slug>/", views.accountability, name="office_accountability"),
    path("inbox/", views.my_inbox, name="my_inbox"),
    path("inbox/<slug:office_slug>/", views.inbox, name="inbox"),
    path("<int:case_id>/", views.detail, name="detail"),
    path("<int:case_id>/sent/", views.sent, name="sent"),
    path("<int:case_id>/update/", views.update, name="update"),
    path("<int:case_id>/photo/", views.photo, name="photo"),
    path("<int:case_id>/me-too/", views.support, name="support"),
    path("<int:case_id>/follow/", views.follow, name="follow"),
    path("<int:case_id>/comments/", views.comment, name="comment"),
    path("<int:case_id>/<slug:action>/", views.act, name="act"),
]
