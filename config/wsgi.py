"""WSGI entry point, e.g. `gunicorn config.wsgi`.

The site's application is wrapped in the page cache's memory (pagecache/wsgi.py): a plain
anonymous read of a page this process served a moment ago is answered before Django builds
a request, under the versions as they are committed now.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from pagecache.wsgi import ServedFromMemory  # noqa: E402  (needs the settings loaded)

application = ServedFromMemory(django_application)
