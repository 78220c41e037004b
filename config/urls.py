"""Root URLs. Apps own their URLs; this module only includes them.

Public pages live under a language prefix (/en/, /az/, /ru/); `/` is answered by
LocaleMiddleware with a redirect to the visitor's language. Infrastructure URLs (health,
robots.txt, the admin, later the API) are outside the prefixes.
"""

import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from config import views
from statements import sitemaps
from statements import views as statement_views

# Fallbacks only: templates/admin/base_site.html shows the default organisation's name in the
# editor's language (the SITE_NAME of config.context_processors.site).
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("config.two_factor")),  # /admin/two-factor/…, before the admin's own
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("s/<int:pk>/", statement_views.short_link, name="short_link"),
    path("preview/<str:token>/", statement_views.shared_preview, name="shared_preview"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
]

urlpatterns += i18n_patterns(
    path("", include("statements.urls")),
    path("", include("victims.urls")),
    prefix_default_language=True,
)

if settings.MEDIA_URL.startswith("/") and "://" not in settings.MEDIA_URL:
    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", views.media)
    ]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
