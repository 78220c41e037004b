from django.urls import path

from victims import views

app_name = "victims"

urlpatterns = [
    path("casualties/", views.casualties, name="casualties"),
    path("casualties/<str:key>.csv", views.chart_csv, name="chart_csv"),
]
