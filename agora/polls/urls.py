"""Poll pages: answering, thanks, results and the staff's export; the staff's pages that build
a poll (`staff_views`)."""

from django.urls import path

from agora.polls import staff_views, views

app_name = "polls"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/thanks/", views.thanks, name="thanks"),
    path("<int:pk>/results/", views.results_page, name="results"),
    path("<int:pk>/export.csv", views.export, name="export"),
    path("new/<slug:slug>/", staff_views.create, name="create"),
    path("<int:pk>/staff/", staff_views.staff, name="staff"),
    path("<int:pk>/staff/edit/", staff_views.edit, name="edit"),
    path("<int:pk>/staff/sections/new/", staff_views.add_section, name="add_section"),
    path(
        "<int:pk>/staff/sections/<int:section>/",
        staff_views.edit_section,
        name="edit_section",
    ),
    path(
        "<int:pk>/staff/sections/<int:section>/move/",
        staff_views.move_section,
        name="move_section",
    ),
    path(
        "<int:pk>/staff/sections/<int:section>/remove/",
        staff_views.remove_section,
        name="remove_section",
    ),
    path("<int:pk>/staff/questions/new/", staff_views.add_question, name="add_question"),
    path(
        "<int:pk>/staff/questions/<int:question>/",
        staff_views.edit_question,
        name="edit_question",
    ),
    path(
        "<int:pk>/staff/questions/<int:question>/move/",
        staff_views.move_question,
        name="move_question",
    ),
    path(
        "<int:pk>/staff/questions/<int:question>/remove/",
        staff_views.remove_question,
        name="remove_question",
    ),
]
