"""Share links: a signed address that shows a draft, exactly as it will look, to anyone who
holds it, for SHARE_LINK_DAYS days. Revoking raises the statement's share-links version,
which every older link carries, so all of them stop working at once. An expired, revoked or
tampered link answers 404."""

from django.conf import settings
from django.core import signing

SALT = "statements.share-link"


def make_token(statement) -> str:
    signer = signing.TimestampSigner(salt=SALT)
    return signer.sign_object(
        {"statement": statement.pk, "version": statement.document.share_links_version}
    )


def statement_for_token(token: str):
    """The draft or in-review edition a valid token points at, else None."""
    from statements.models import Edition

    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.SHARE_LINK_DAYS * 24 * 3600)
        statement_id, version = int(data["statement"]), int(data["version"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    statement = Edition.objects.for_display().filter(pk=statement_id).first()
    if (
        statement is None
        or not statement.is_editable
        or statement.document.share_links_version != version
    ):
        return None
    return statement
