"""Infrastructure views: health check, robots.txt, the error page, the API root."""

import logging

from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check: database unavailable: %s", error)
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /preview/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 page in the site's layout.

    Rendered with the request, so the header, language switcher and footer are those of the
    page; if even that fails (a broken context processor, say), the bare template is used.
    """
    try:
        body = loader.render_to_string(template_name, request=request)
    except Exception:
        logger.exception("Rendering the 500 page with its context failed")
        body = loader.get_template(template_name).render()
    return HttpResponseServerError(body)


@api_view(["GET"])
def api_root(request: Request) -> Response:
    """What the API offers; the endpoints arrive with the statements and register issues."""
    return Response(
        {
            "name": "Advocacy statements API",
            "version": "v1",
            "health": request.build_absolute_uri(reverse("healthz")),
        }
    )
