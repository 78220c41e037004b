from django.urls import path

from victims import views

app_name = "victims"

urlpatterns = [
    path("casualties/", views.casualties, name="casualties"),
    path("casualties/snapshots/", views.snapshot_list, name="snapshots"),
    path("casualties/snapshots/<int:number>/", views.snapshot_detail, name="snapshot"),
    path("casualties/snapshots/<int:number>.json", views.snapshot_json, name="snapshot_json"),
    path("casualties/snapshots/<int:number>.csv", views.snapshot_csv, name="snapshot_csv"),
    path(
        "casualties/snapshots/<int:first>...<int:second>/",
        views.snapshot_compare,
        name="snapshot_compare",
    ),
    path("casualties/<str:key>.csv", views.chart_csv, name="chart_csv"),
]
