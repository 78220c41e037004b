import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from statements.uploads import build_renditions, clean_image, recognise_attachment


def image_bytes(fmt="JPEG", size=(2000, 1000), exif=True) -> bytes:
    image = Image.new("RGB", size, (120, 80, 40))
    output = io.BytesIO()
    options = {}
    if exif and fmt in ("JPEG", "WEBP", "PNG"):
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {1: "N", 2: (40.0, 22.0, 0.0)}  # GPS info
        options["exif"] = data.tobytes()
    image.save(output, fmt, **options)
    return output.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size: a decompression bomb's calling card."""
    raw = bytearray(image_bytes("PNG", size=(1, 1), exif=False))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw[16:29] = ihdr
    raw[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(raw)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_images_are_re_encoded_without_exif_or_gps(fmt):
    original = upload(f"photo.{fmt.lower()}", image_bytes(fmt))
    with Image.open(io.BytesIO(original.read())) as before:
        assert before.getexif()  # the fixture really carries metadata

    cleaned = clean_image(original)

    with Image.open(io.BytesIO(cleaned.read())) as after:
        assert after.format == fmt
        assert after.size == (2000, 1000)
        assert not after.getexif()
        assert "exif" not in after.info


def test_a_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError, match="not an image"):
        clean_image(upload("statement.jpg", b"This is not an image at all.\n" * 10))


def test_a_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ValidationError, match="too many pixels"):
        clean_image(upload("bomb.png", png_claiming(50_000, 50_000)))


def test_an_image_over_40_megapixels_is_refused():
    with pytest.raises(ValidationError, match="7000 × 7000 pixels; the limit is 40 megapixels"):
        clean_image(upload("big.png", png_claiming(7000, 7000)))


def test_an_oversized_image_file_is_refused_by_its_size():
    big = upload("huge.jpg", image_bytes("JPEG", size=(10, 10)))
    big.size = 11 * 1024 * 1024

    with pytest.raises(ValidationError, match=re.escape("11.0 MB; the limit is 10.0 MB")):
        clean_image(big)


def test_gif_is_refused_by_format():
    output = io.BytesIO()
    Image.new("RGB", (10, 10)).save(output, "GIF")

    with pytest.raises(ValidationError, match="JPEG, PNG or WebP; this file is GIF"):
        clean_image(upload("anim.gif", output.getvalue()))


@pytest.mark.django_db
def test_renditions_are_written_for_each_width_below_the_original():
    name = default_storage.save("statements/photo.jpg", io.BytesIO(image_bytes(size=(1200, 600))))

    renditions = build_renditions(name)

    assert [item["width"] for item in renditions] == [480, 960, 1200]
    with default_storage.open(renditions[0]["name"]) as stored, Image.open(stored) as small:
        assert small.size == (480, 240)


def pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return output.getvalue()


def odt() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return output.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("report.pdf", pdf(), "PDF"),
        ("letter.docx", docx(), "Word (DOCX)"),
        ("letter.odt", odt(), "OpenDocument text (ODT)"),
        ("renamed.bin", pdf(), "PDF"),
    ],
)
def test_attachments_are_recognised_by_content(name, content, label):
    assert recognise_attachment(upload(name, content)).label == label


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"<html><script>alert(1)</script></html>"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("photo.pdf", image_bytes("PNG", size=(5, 5), exif=False)),
        ("empty.pdf", b""),
    ],
)
def test_other_files_are_refused_as_attachments(name, content):
    with pytest.raises(ValidationError, match="PDF or office documents"):
        recognise_attachment(upload(name, content))


def test_an_oversized_attachment_is_refused():
    big = upload("big.pdf", pdf())
    big.size = 26 * 1024 * 1024

    with pytest.raises(
        ValidationError, match=re.escape("26.0 MB; the limit for attachments is 25.0 MB")
    ):
        recognise_attachment(big)
