"""URLs for the 500-page test: the site's URLs plus one view that fails."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a deliberate failure for the test")


urlpatterns = [*site_urlpatterns, *i18n_patterns(path("boom/", fail))]
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
