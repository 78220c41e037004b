"""API v1: each app's api/urls.py, the OpenAPI schema and its documentation (assets served
by the project through drf-spectacular-sidecar)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import views

app_name = "api"

urlpatterns = [
    path("", views.api_root, name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include("statements.api.urls")),
    path("", include("victims.api.urls")),
]
