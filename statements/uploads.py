"""Checks and processing for uploaded images and attachments.

A file is recognised by its content, never by its name or the browser's claim, and stored
under a name the project chooses: a random token (unguessable, so a draft's file cannot be
found by trying addresses) with the extension of the type recognised. The uploaded name is
never used, so `report.html` holding a PDF is stored as `<token>.pdf`. Images are decoded by
Pillow within size limits (decompression bombs are refused before decoding) and re-encoded
from their pixels alone, which drops EXIF (GPS included), comments, XMP and ICC profiles;
responsive renditions are written beside the original.
"""

import io
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RENDITION_WIDTHS = (480, 960, 1600)

# Extensions of the stored files, by what their content was recognised as.
IMAGE_EXTENSIONS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
# Media types accepted for attachments, by content signature (the `filetype` library), and
# the name readers see.
ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word (DOC)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.ms-excel": "Excel (XLS)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (XLSX)",
    "application/vnd.ms-powerpoint": "PowerPoint (PPT)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint (PPTX)"
    ),
    "application/vnd.oasis.opendocument.text": "OpenDocument text (ODT)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (ODS)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation (ODP)",
    "application/rtf": "Rich Text (RTF)",
}


ATTACHMENT_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/rtf": "rtf",
}


def random_name(folder: str, extension: str) -> str:
    """`folder/<32 hex digits>.<extension>`: 128 random bits, never the uploaded name."""
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def _known_suffix(filename: str, known) -> str:
    suffix = PurePosixPath(filename or "").suffix.lower().lstrip(".")
    return suffix if suffix in known else "bin"


def statement_image_path(instance, filename: str) -> str:
    """upload_to of a statement's image: clean_image named it after the recognised format."""
    return random_name("statements", _known_suffix(filename, IMAGE_EXTENSIONS))


def organisation_logo_path(instance, filename: str) -> str:
    return random_name("organisations", _known_suffix(filename, IMAGE_EXTENSIONS))


def attachment_path(instance, filename: str) -> str:
    """upload_to of an attachment: the extension of the media type its content was
    recognised as (recognise_attachment set it on the instance)."""
    return random_name("attachments", ATTACHMENT_EXTENSIONS.get(instance.media_type, "bin"))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def clean_image(upload) -> ContentFile:
    """Validate an uploaded image and return it re-encoded without metadata.

    Raises ValidationError naming the problem: too large a file, not an image, a format
    other than JPEG, PNG or WebP, or too many pixels (decompression bombs included).
    """
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(IMAGE_MAX_BYTES)},
            code="image_too_large",
        )
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
    except Image.DecompressionBombError as error:
        raise ValidationError(
            _(
                "The image has far too many pixels (a decompression bomb); the limit is 40 "
                "megapixels."
            ),
            code="image_too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            _("The file is not an image that can be read (JPEG, PNG or WebP)."),
            code="not_an_image",
        ) from error
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Images must be JPEG, PNG or WebP; this file is %(format)s.")
            % {"format": image_format},
            code="image_format",
        )
    if width * height > IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("The image is %(width)s × %(height)s pixels; the limit is 40 megapixels.")
            % {"width": width, "height": height},
            code="image_too_many_pixels",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return ContentFile(
                _encode(upright, image_format), name=f"image.{IMAGE_FORMATS[image_format]}"
            )
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The image is damaged and cannot be read."), code="image_damaged"
        ) from error


def _encode(image: Image.Image, image_format: str) -> bytes:
    """Encode pixels only: no EXIF (GPS included), comment, XMP, ICC profile or text chunk.

    Pillow writes some of what it read back out (a JPEG's comment, a PNG's ICC profile and
    EXIF, a WebP's XMP), so the pixels are copied into a fresh image that carries none.
    """
    if image_format == "JPEG":
        pixels = image.convert("RGB")
    elif image.mode in ("RGB", "RGBA", "L", "LA", "P"):
        pixels = image.copy()
    else:
        pixels = image.convert("RGBA")
    pixels.info = {}
    pixels.encoderinfo = {}
    output = io.BytesIO()
    if image_format == "JPEG":
        pixels.save(output, "JPEG", quality=85, optimize=True, progressive=True)
    elif image_format == "PNG":
        pixels.save(output, "PNG", optimize=True)
    else:
        pixels.save(output, "WEBP", quality=82)
    return output.getvalue()


def build_renditions(name: str) -> list[dict]:
    """Write narrower copies of a stored image; return [{width, name}] including the original.

    The original is listed last with its own width; no copy is made wider than it.
    """
    with default_storage.open(name) as stored, Image.open(stored) as image:
        image.load()
        image_format = image.format
        if image_format is None:  # not an image Pillow recognises: nothing to render
            return []
        width, height = image.size
        renditions = []
        stem = PurePosixPath(name)
        for target in RENDITION_WIDTHS:
            if target >= width:
                break
            copy = image.resize((target, round(height * target / width)), Image.Resampling.LANCZOS)
            rendition_name = f"{stem.parent}/renditions/{stem.stem}-{target}w{stem.suffix}"
            saved = default_storage.save(rendition_name, ContentFile(_encode(copy, image_format)))
            renditions.append({"width": target, "name": saved})
    renditions.append({"width": width, "name": name})
    return renditions


@dataclass(frozen=True)
class AttachmentKind:
    media_type: str
    label: str


def recognise_attachment(upload) -> AttachmentKind:
    """Recognise a PDF or office document by its content; ValidationError for anything else."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit for attachments is %(limit)s.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(ATTACHMENT_MAX_BYTES)},
            code="attachment_too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    media_type = _opendocument_type(head)
    if media_type is None:
        kind = filetype.guess(head) if head else None
        media_type = kind.mime if kind else None
    if media_type not in ATTACHMENT_TYPES:
        raise ValidationError(
            _(
                "Attachments must be PDF or office documents (Word, Excel, PowerPoint, "
                "OpenDocument, RTF); this file's content is not one of them."
            ),
            code="attachment_type",
        )
    return AttachmentKind(media_type, ATTACHMENT_TYPES[media_type])


def _opendocument_type(head: bytes) -> str | None:
    """OpenDocument files are ZIPs whose first, uncompressed entry `mimetype` names the type.

    The `filetype` library does not know them; the signature is fixed by the ODF standard.
    """
    prefix = b"PK\x03\x04"
    marker = b"mimetypeapplication/vnd.oasis.opendocument."
    if head.startswith(prefix) and head[30 : 30 + len(marker)] == marker:
        end = 30 + len(b"mimetype")
        for media_type in ATTACHMENT_TYPES:
            if head[end : end + len(media_type)] == media_type.encode():
                return media_type
    return None
