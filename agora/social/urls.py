"""Social pages at the site root: feeds, posts, relationship actions and lists, tags, search."""

from django.urls import path, re_path

from agora.social import announcement_views, syndication, views
from agora.social.sources import SOURCE_KINDS

app_name = "social"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("latest/", views.latest, name="latest"),
    path("search/", views.search_page, name="search"),
    path("settings/words/", views.muted_words, name="muted_words"),
    path("tags/<str:name>/", views.tag, name="tag"),
    path("posts/new", views.create_post, name="create_post"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/images/<int:image_id>", views.post_image, name="post_image"),
    path(
        "posts/<int:post_id>/attachments/<int:attachment_id>",
        announcement_views.attachment,
        name="attachment",
    ),
    path("announcements/new", announcement_views.new_announcement, name="new_announcement"),
    path("posts/<int:post_id>/edit", views.edit_post, name="edit_post"),
    path("posts/<int:post_id>/delete", views.delete_post, name="delete_post"),
    path("posts/<int:post_id>/like", views.like_post, name="like_post"),
    path("posts/<int:post_id>/share", views.share_post, name="share_post"),
    path("posts/<int:post_id>/comment", views.comment, name="comment"),
    path("comments/<int:comment_id>/like", views.like_comment, name="like_comment"),
    path("comments/<int:comment_id>/delete", views.delete_comment, name="delete_comment"),
    re_path(
        r"^(?P<action>follow|unfollow)/(?P<kind>"
        + "|".join(SOURCE_KINDS)
        + r")/(?P<slug>[a-z0-9-]+)$",
        views.follow_source,
        name="follow_source",
    ),
    re_path(
        r"^feeds/(?P<kind>"
        + "|".join(SOURCE_KINDS)
        + r")/(?P<slug>[a-z0-9-]+)\.(?P<form>rss|atom)$",
        syndication.source_feed,
        name="source_feed",
    ),
    re_path(
        r"^feeds/@(?P<handle>[^/]+?)\.(?P<form>rss|atom)$",
        syndication.person_feed,
        name="person_feed",
    ),
    path("media/consent", views.media_consent, name="media_consent"),
    path("connections/requests/", views.connection_requests, name="connection_requests"),
    re_path(
        r"^connections/requests/(?P<request_id>[0-9]+)/(?P<answer>accept|decline)$",
        views.answer_connection_request,
        name="answer_connection_request",
    ),
    path("@<str:handle>/posts/", views.profile_posts, name="profile_posts"),
    re_path(
        r"^@(?P<handle>[^/]+)/(?P<which>followers|following|connections)/$",
        views.people_list,
        name="people_list",
    ),
    path("@<str:handle>/do/<str:action>", views.relationship_action, name="relationship"),
]
