from django.urls import path

from statements import views

app_name = "statements"

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="list"),
    path(
        "statements/<int:year>/<int:month>/<int:day>/<str:slug>/",
        views.statement_detail,
        name="detail",
    ),
]
