"""The site's URLs plus public-looking pages that answer something personal."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control, patch_vary_headers

from config.urls import urlpatterns as site_urlpatterns

CALLS: list[str] = []


def sets_a_cookie(request):
    CALLS.append(request.path)
    response = HttpResponse("Hello, reader")
    response.set_cookie("seen", "yes")
    return response


def varies_on_cookie(request):
    CALLS.append(request.path)
    response = HttpResponse("Your own page")
    patch_vary_headers(response, ["Cookie"])
    return response


def private(request):
    CALLS.append(request.path)
    response = HttpResponse("Private")
    patch_cache_control(response, private=True)
    return response


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(
        path("sets-a-cookie/", sets_a_cookie),
        path("varies-on-cookie/", varies_on_cookie),
        path("private/", private),
    ),
]
