"""The floor for bench/pages.sh: a bare Django view, with nothing of the project.

    gunicorn bench.floor:application --workers 2

Django's own settings, no middleware, no database, one URL answering a short text: what the
framework and gunicorn cost by themselves on this machine. Every figure of bench/pages.sh is
a share of this one, measured in the same run.

`/bytes/<n>` answers n bytes the same way: the floor for a page of that size (the sitemap's
figure is set by its 450 KB, which the kernel copies whatever the code does).
"""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-floor-not-a-secret",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


def sized(request, size):
    return HttpResponse(b"x" * size, content_type="text/plain")


urlpatterns = [path("", hello), path("bytes/<int:size>", sized)]
application = get_wsgi_application()
