"""Static files are served by WhiteNoise with compressed copies and content-hashed names."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_collectstatic_writes_hashed_and_compressed_files_that_pages_use(tmp_path, client):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        # Only the project's own files: compressing the vendored API-docs and admin assets
        # takes half a minute and tests nothing of ours.
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=[
                "drf_spectacular_sidecar",
                "admin",
                "django_prose_editor",
                "rest_framework",
            ],
        )
        html = client.get("/en/").content.decode()

    hashed = re.search(r'href="/static/(css/site\.[0-9a-f]{12}\.css)"', html)
    assert hashed, "the page should link the hashed stylesheet"
    assert (tmp_path / hashed.group(1)).is_file()
    assert (tmp_path / f"{hashed.group(1)}.gz").is_file()
    assert (tmp_path / f"{hashed.group(1)}.br").is_file()
