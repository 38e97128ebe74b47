"""Poll pages: answering, thanks, results and the staff's export."""

from django.urls import path

from agora.polls import views

app_name = "polls"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/thanks/", views.thanks, name="thanks"),
    path("<int:pk>/results/", views.results_page, name="results"),
    path("<int:pk>/export.csv", views.export, name="export"),
]
