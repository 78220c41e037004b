"""Infrastructure views: health check, robots.txt, the error page, the API root."""

import logging
import sys

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from redis.exceptions import RedisError
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each dependency's state as JSON. 503 when the database does not answer (nothing can
    be served); 200 with "degraded" when only the cache does not (the site works without it,
    more slowly: see config/cache.py)."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check: database unavailable: %s", error)
        checks["database"] = "unavailable"
    try:
        from django.core.cache import cache

        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()
    except (RedisError, OSError) as error:
        logger.warning("Health check: cache unavailable: %s", error)
        checks["cache"] = "unavailable"
    if checks["database"] != "ok":
        return JsonResponse({"status": "error", **checks}, status=503)
    status = "ok" if checks["cache"] == "ok" else "degraded"
    return JsonResponse({"status": status, **checks})


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


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded files: Django decides who may fetch each one (statements.files), so that an
    embargoed statement's files are not public; the web server may send the bytes."""
    from statements.files import serve

    return serve(request, path)


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def page_not_found(request: HttpRequest, exception, template_name: str = "404.html"):
    """404 in the site's layout; JSON {"detail", "code"} under /api/."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "no such endpoint", "code": "not_found"}, status=404)
    from django.views.defaults import page_not_found as default

    return default(request, exception, template_name)


def bad_request(request: HttpRequest, exception, template_name: str = "400.html", nul_in=""):
    """400 in the site's layout; JSON {"detail", "code"} under /api/, naming the parameter
    when it is known (`nul_in`: see config.middleware.RejectNulBytes)."""
    if request.path.startswith("/api/"):
        detail = (
            f"{nul_in}: holds a character that is not allowed (a NUL byte)"
            if nul_in
            else "the request could not be understood"
        )
        return JsonResponse({"detail": detail, "code": "invalid"}, status=400)
    if nul_in == "path":
        reason = _("The address holds a character that is not allowed (a NUL byte).")
    elif nul_in:
        reason = _("“%(name)s” holds a character that is not allowed (a NUL byte).") % {
            "name": nul_in
        }
    else:
        reason = _("The request could not be understood.")
    # A host not allowed: the layout's context (absolute links) would need it. Bare page.
    with_request = None if isinstance(exception, DisallowedHost) else request
    body = loader.render_to_string(template_name, {"reason": reason}, request=with_request)
    return HttpResponse(body, status=400)


ADMIN_PREFIX = "/admin/"


def _refusal(request: HttpRequest, reason: str, *, title: str, status: int = 403):
    """A refusal in the layout of where it happened: the admin's for editors, the site's
    for everyone else, always with the reason."""
    if request.path.startswith(ADMIN_PREFIX):
        from django.contrib import admin

        referer = request.META.get("HTTP_REFERER", "")
        back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}) else ""
        context = {
            **admin.site.each_context(request),
            "title": title,
            "reason": reason,
            "back_url": back if back != request.build_absolute_uri() else "",
        }
        body = loader.render_to_string("admin/refused.html", context, request=request)
    else:
        context = {"title": title, "reason": reason}
        body = loader.render_to_string("403.html", context, request=request)
    return HttpResponse(body, status=status)


def permission_denied(request: HttpRequest, exception, template_name: str = "403.html"):
    """403 with the reason the refusing code gave (`PermissionDenied("...")`)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "permission denied", "code": "forbidden"}, status=403)
    reason = str(exception) if exception is not None and str(exception) else ""
    return _refusal(
        request,
        reason or str(_("You do not have permission to see or change this page.")),
        title=str(_("Not allowed")),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token (an old page, cookies blocked)."""
    return _refusal(
        request,
        str(
            _(
                "The form was sent without a valid security token, so nothing was done. "
                "This happens when a page stays open for a long time, after signing in "
                "elsewhere, or when the browser blocks cookies. Go back, reload the page, "
                "and send the form again."
            )
        ),
        title=str(_("The form has expired")),
    )


DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 page in the site's layout; 503 with Retry-After when the error is that the
    database does not answer (a restart, a failover): the reader should simply try again.

    Rendered with the request, so the header, language switcher and footer are those of the
    page; if even that fails (a broken context processor, say), the bare template is used.
    """
    away = isinstance(sys.exc_info()[1], DATABASE_AWAY)
    status = 503 if away else 500
    response: HttpResponse
    if request.path.startswith("/api/"):
        if away:
            error = {"detail": "temporarily unavailable: try again", "code": "unavailable"}
        else:
            error = {"detail": "server error", "code": "server_error"}
        response = JsonResponse(error, status=status)
    else:
        template_name = "503.html" if away else template_name
        page: str
        try:
            page = loader.render_to_string(template_name, request=request)
        except Exception:
            logger.exception("Rendering the %s page with its context failed", status)
            page = loader.get_template(template_name).render()
        response = HttpResponse(page, status=status)
    if away:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@extend_schema(tags=["api"], summary="What the API offers", responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def api_root(request: Request) -> Response:
    """Links to the endpoints and the documentation."""

    def link(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return Response(
        {
            "name": "Advocacy statements API",
            "version": "v1",
            "documentation": link("api:docs"),
            "schema": link("api:schema"),
            "statements": link("api:statement-list"),
            "statement_changes": link("api:statement-changes"),
            "casualty_statistics": link("api:casualty-stats"),
            "incidents": link("api:incident-list"),
            "casualty_snapshots": link("api:snapshot-list"),
            "health": link("healthz"),
        }
    )
