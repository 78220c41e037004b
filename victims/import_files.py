"""Register import files between the preview and the import.

They hold casualty rows before screening has let them in, so they are kept outside
MEDIA_ROOT (settings.IMPORT_ROOT, never served), under a generated name that is the only
thing the form may send back (`<32 hex digits>.csv|xlsx`: no folder, no `..`), and deleted
after the import or, if the import was abandoned, a day after upload (`sweep`, run on every
visit of the import page and by `manage.py clean_imports`).
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

NAME = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.IMPORT_ROOT)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep(content: bytes, suffix: str) -> str:
    """Store an uploaded file's bytes; return the generated name the preview form carries."""
    name = f"{secrets.token_hex(16)}.{'xlsx' if suffix == 'xlsx' else 'csv'}"
    path = _folder() / name
    path.write_bytes(content)
    path.chmod(0o600)
    return name


def _path(name: str) -> Path | None:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return None
    path = _folder() / name
    if not path.is_file() or time.time() - path.stat().st_mtime > KEEP_SECONDS:
        return None
    return path


def read(name: str) -> bytes | None:
    """The bytes of a kept file; None for a name that was not generated here, or is gone or
    older than a day."""
    path = _path(name)
    return path.read_bytes() if path else None


def discard(name: str) -> None:
    path = _path(name)
    if path:
        path.unlink(missing_ok=True)


def sweep(now: float | None = None) -> int:
    """Delete kept files older than a day; return how many."""
    now = time.time() if now is None else now
    removed = 0
    for path in _folder().iterdir():
        if NAME.fullmatch(path.name) and now - path.stat().st_mtime > KEEP_SECONDS:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
