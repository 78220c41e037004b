from django.urls import path

from statements import feeds, views

app_name = "statements"

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.statement_list, name="list"),
    path("statements/feed.atom", feeds.StatementsAtomFeed(), name="feed_atom"),
    path("statements/feed.rss", feeds.StatementsRssFeed(), name="feed_rss"),
    path(
        "statements/<int:year>/<int:month>/<int:day>/<str:slug>/",
        views.statement_detail,
        name="detail",
    ),
    path(
        "statements/<int:year>/<int:month>/<int:day>/<str:slug>/canonical.txt",
        views.canonical_text_view,
        name="canonical_text",
    ),
    path("observances/", views.observance_list, name="observances"),
    path("observances/<slug:slug>/", views.observance_detail, name="observance"),
]
