from django.urls import path

from statements.api import views

urlpatterns = [
    path("statements/", views.StatementList.as_view(), name="statement-list"),
    path("statements/changes/", views.StatementChanges.as_view(), name="statement-changes"),
    path("statements/<int:pk>/", views.StatementDetail.as_view(), name="statement-detail"),
]
