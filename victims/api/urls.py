from django.urls import path

from victims.api import views

urlpatterns = [
    path("casualties/stats/", views.CasualtyStats.as_view(), name="casualty-stats"),
    path("casualties/incidents/", views.IncidentList.as_view(), name="incident-list"),
]
