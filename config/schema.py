"""OpenAPI descriptions of the project's own REST framework classes (drf-spectacular)."""

import functools

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "victims.api.keys.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a key issued to a partner organisation.",
        }


@functools.cache
def error_serializer():
    """One `Error` component for the whole schema."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    return inline_serializer(
        "Error", {"detail": serializers.CharField(), "code": serializers.CharField()}
    )


def error_responses(*codes: int) -> dict:
    """The documented error responses: every error is {"detail": ..., "code": ...}."""
    from drf_spectacular.utils import OpenApiExample, OpenApiResponse

    error = error_serializer()
    descriptions = {
        400: (
            "A parameter is wrong; `detail` names it.",
            "page_size: a whole number from 1 to 100",
            "invalid",
        ),
        401: (
            "No API key.",
            "an API key is required: Authorization: Api-Key <key>",
            "not_authenticated",
        ),
        403: (
            "The API key is unknown, expired or revoked.",
            "this API key has expired",
            "permission_denied",
        ),
        404: ("No such statement.", "no published statement has this id", "not_found"),
        406: (
            "No format matches the Accept header.",
            "Could not satisfy the request Accept header.",
            "not_acceptable",
        ),
        410: ("The statement was unpublished.", "this statement was unpublished", "gone"),
        429: (
            "Too many requests: wait for Retry-After seconds.",
            "Request was throttled.",
            "throttled",
        ),
    }
    return {
        code: OpenApiResponse(
            error,
            description=descriptions[code][0],
            examples=[
                OpenApiExample(
                    str(code),
                    value={"detail": descriptions[code][1], "code": descriptions[code][2]},
                )
            ],
        )
        for code in codes
    }
