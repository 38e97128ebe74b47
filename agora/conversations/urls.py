"""Opinion maps: statements, votes, opinion groups and consensus, as Pol.is computes them."""

from django.urls import path

from agora.conversations import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.open_conversation, name="open"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/statements/", views.submit_statement, name="submit"),
    path("<int:pk>/statements/<int:statement_pk>/moderate/", views.moderate, name="moderate"),
]
