"""The client's address, the one way: throttles, the login lockout and the logs all ask here.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
there are proxies of our own in front of the site (TRUSTED_PROXY_COUNT, default 0: the
socket's address, whatever the header says). With n trusted proxies, each appends the address
it received the request from, so the client is the n-th address from the right; anything
further left was sent by the client and is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    meta = getattr(request, "META", request)
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def axes_client_address(request) -> str:
    """django-axes' AXES_CLIENT_IP_CALLABLE."""
    return client_address(request)
