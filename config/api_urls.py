"""API v1 URLs: each app's api/urls.py is included here as it arrives."""

from django.urls import path

from config import views

app_name = "api"

urlpatterns = [
    path("", views.api_root, name="root"),
]
