"""Partner keys: who a keyed request comes from, what needs a key, and each key's rate.

Keys are issued in the admin (Partner API keys) to partner organisations for record-level
data under an agreement; stored hashed (djangorestframework-api-key). The public endpoints
never need one.
"""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from config.api import SettingsRate


class PartnerKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: the partner's key, stored hashed. No header, or another
    scheme (Basic from a proxy, a stray Bearer): anonymous, so public endpoints answer and
    partner endpoints ask for a key (401). A key that is unknown, expired or revoked: 403."""

    keyword = "Api-Key"

    def authenticate(self, request):
        from victims.models import PartnerKey

        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None  # not ours: HTTP authentication schemes are case-insensitive
        if not key.strip():
            raise exceptions.PermissionDenied("the Authorization header must be 'Api-Key <key>'")
        key = key.strip()
        prefix, _dot, _secret = key.partition(".")
        partner_key = PartnerKey.objects.filter(prefix=prefix).first()
        if partner_key is None or not partner_key.is_valid(key):
            raise exceptions.PermissionDenied("unknown API key")
        if partner_key.revoked:
            raise exceptions.PermissionDenied("this API key has been revoked")
        if partner_key.has_expired:
            raise exceptions.PermissionDenied("this API key has expired")
        PartnerKey.objects.filter(pk=partner_key.pk).update(last_used_at=timezone.now())
        return (None, partner_key)

    def authenticate_header(self, request) -> str:
        return self.keyword


class HasPartnerKey(BasePermission):
    """A valid partner key is required: missing is 401 (403 comes from authentication)."""

    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise exceptions.NotAuthenticated(
                "an API key is required: Authorization: Api-Key <key>"
            )
        return True


class KeyRateThrottle(SettingsRate, SimpleRateThrottle):
    """Requests per partner key (the cache is shared between workers: Redis in production)."""

    scope = "key"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
