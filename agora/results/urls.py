"""Result pages: a process's results, a result, making one, and writing an update."""

from django.urls import path

from agora.results import views

app_name = "results"

urlpatterns = [
    path("process/<slug:slug>/", views.process_results, name="process"),
    path("new/<slug:slug>/", views.new_result, name="new"),
    path("<int:pk>/", views.result_detail, name="detail"),
    path("<int:pk>/update/", views.post_update, name="update"),
]
