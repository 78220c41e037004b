"""Who may fetch an uploaded file, and the headers it is sent with.

Every file under MEDIA_URL goes through `serve` (config.views.media): a statement's image,
its renditions and its attachments are sent to anyone only while an edition that holds them
is public (`Edition.objects.published()`, the one definition); before that, to staff who
may view statements and to holders of a valid share link of an edition that holds them
(`?share=<token>`, which the shared preview adds to its file addresses). Anything else is a
404, the same answer as for a file that does not exist. Organisation logos are public.

Names are random (statements.uploads), so addresses cannot be guessed either. Django decides;
with MEDIA_ACCEL_REDIRECT set, the web server sends the bytes (X-Accel-Redirect to an
internal location, see README), without it Django streams them.

Every response says `X-Content-Type-Options: nosniff` and `Content-Security-Policy:
default-src 'none'; sandbox`, takes its type from what the upload was recognised as (never
from guessing), and only images are shown inline: anything else is a download.
"""

import posixpath
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.text import slugify

from statements.uploads import IMAGE_EXTENSIONS

RENDITION = re.compile(r"^(?P<folder>.+)/renditions/(?P<stem>[^/]+)-\d+w(?P<suffix>\.[a-z]+)$")
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class StoredFile:
    """A name under MEDIA_ROOT with the editions that hold it (None: not a statement's file)."""

    def __init__(self, name: str, editions, media_type: str, download_name: str = ""):
        self.name = name
        self.editions = editions
        self.media_type = media_type
        self.download_name = download_name


def clean_name(path: str) -> str | None:
    """The storage name of a requested path, or None for anything that tries to leave it."""
    if not path or "\\" in path or path.startswith("/"):
        return None
    name = posixpath.normpath(path)
    if name != path or name.startswith("..") or "/../" in f"/{name}/":
        return None
    return name


def find(name: str) -> StoredFile | None:
    """What `name` is: a statement image (or rendition), an attachment, a logo; else None."""
    from statements.models import Attachment, Edition, Organisation

    folder = name.split("/", 1)[0]
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if folder == "attachments":
        rows = list(
            Attachment.objects.filter(file=name).values_list("edition_id", "media_type", "title")
        )
        if not rows:
            return None
        editions = [row[0] for row in rows]
        title = slugify(rows[0][2])[:80] or "attachment"
        return StoredFile(name, editions, rows[0][1], f"{title}.{suffix}")
    if folder == "statements":
        match = RENDITION.match(name)
        original = f"{match['folder']}/{match['stem']}{match['suffix']}" if match else name
        editions = list(Edition.objects.filter(image=original).values_list("pk", flat=True))
        if not editions or suffix not in IMAGE_EXTENSIONS:
            return None
        return StoredFile(name, editions, IMAGE_EXTENSIONS[suffix])
    is_logo = folder == "organisations" and suffix in IMAGE_EXTENSIONS
    if is_logo and Organisation.objects.filter(logo=name).exists():
        return StoredFile(name, None, IMAGE_EXTENSIONS[suffix])
    return None


def is_public(stored: StoredFile) -> bool:
    from statements.models import Edition

    return stored.editions is None or (
        Edition.objects.published().filter(pk__in=stored.editions).exists()
    )


def may_read(request: HttpRequest, stored: StoredFile) -> bool:
    """Staff who may view statements, or a share link of an edition holding the file."""
    from statements.sharing import statement_for_token

    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("statements.view_edition")
    ):
        return True
    token = request.GET.get("share", "")
    if token:
        shared = statement_for_token(token)
        return shared is not None and shared.pk in stored.editions
    return False


def serve(request: HttpRequest, path: str) -> HttpResponseBase:
    name = clean_name(path)
    stored = find(name) if name else None
    if name is None or stored is None or not default_storage.exists(name):
        raise Http404
    public = is_public(stored)
    if not public and not may_read(request, stored):
        raise Http404
    accel = settings.MEDIA_ACCEL_REDIRECT
    response: HttpResponseBase
    if accel:
        response = HttpResponse(content_type=stored.media_type)
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{name}"
    else:
        response = FileResponse(default_storage.open(name), content_type=stored.media_type)
    for header, value in FILE_HEADERS.items():
        response[header] = value
    if stored.media_type in IMAGE_EXTENSIONS.values():
        response["Content-Disposition"] = "inline"
    else:
        response["Content-Disposition"] = (
            f'attachment; filename="{stored.download_name or PurePosixPath(name).name}"'
        )
    # A public file may be kept by browsers for an hour; an embargoed one is never stored.
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    if not public:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response
