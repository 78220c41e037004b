"""Readable differences between two revisions, word by word."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")


def inline_diff(old: str, new: str) -> SafeString:
    """The new text with removed words in <del> and added words in <ins>; lines kept."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped
