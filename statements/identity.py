"""The site's identity: the default issuing organisation's name, short name and press
contact, in the reader's language. `settings.SITE_NAME` is only the fallback for a site
without a default organisation (or whose database does not answer)."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest

from pagecache import versions
from pagecache.models import Surface
from statements.models import Organisation

logger = logging.getLogger(__name__)

_UNSET = object()


class SiteIdentity:
    """Read in the active language each time, so one instance serves a whole request."""

    def __init__(self, organisation: Organisation | None):
        self.organisation = organisation

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else settings.SITE_NAME

    @property
    def short_name(self) -> str:
        return self.organisation.short_name if self.organisation else settings.SITE_NAME

    @property
    def press_email(self) -> str:
        return self.organisation.press_email if self.organisation else ""

    @property
    def press_phone(self) -> str:
        return self.organisation.press_phone if self.organisation else ""

    @property
    def phone_uri(self) -> str:
        return self.organisation.phone_uri if self.organisation else ""

    @property
    def address(self) -> str:
        return self.organisation.address if self.organisation else ""

    @property
    def office_hours(self) -> str:
        return self.organisation.office_hours if self.organisation else ""

    @property
    def has_press_contact(self) -> bool:
        return any((self.press_email, self.press_phone, self.address, self.office_hours))


def site_identity(request: HttpRequest | None = None) -> SiteIdentity:
    """The identity, looked up once per request (one query; none when cached on `request`)."""
    cached = getattr(request, "_site_identity", _UNSET) if request is not None else _UNSET
    if isinstance(cached, SiteIdentity):
        return cached
    try:
        # Once per version of the statements (an organisation's edit raises it).
        organisation = versions.cached("site-identity", Organisation.default, (Surface.STATEMENTS,))
    except DatabaseError:
        # The 503 page is rendered when the database is away: it still gets a header.
        logger.warning("No site identity from the database; using SITE_NAME", exc_info=True)
        organisation = None
    identity = SiteIdentity(organisation)
    if request is not None:
        request._site_identity = identity  # type: ignore[attr-defined]
    return identity
