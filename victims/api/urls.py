from django.urls import path

from victims.api import views

urlpatterns = [
    path("casualties/stats/", views.CasualtyStats.as_view(), name="casualty-stats"),
    path("casualties/incidents/", views.IncidentList.as_view(), name="incident-list"),
    path("casualties/snapshots/", views.SnapshotList.as_view(), name="snapshot-list"),
    path(
        "casualties/snapshots/<str:number>/",
        views.SnapshotDetail.as_view(),
        name="snapshot-detail",
    ),
]
