"""The methodology of the public casualty figures: its version, and the vocabularies' plain
definitions that the page's methodology section (#methodology) shows.

Raise METHODOLOGY_VERSION whenever what the figures count or how they are protected changes:
the page states it beside the figures, the statistics API's metadata carries it, and a
citation names it.
"""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from victims.choices import Activity, DeviceCategory, Outcome, Status

METHODOLOGY_VERSION = "1.0"

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# One plain sentence for each vocabulary the page's tables use (its values come from
# victims/choices.py with their labels).
VOCABULARIES: list[tuple[str, Promise, type[models.TextChoices]]] = [
    (
        "outcome",
        _("Whether the person was killed in the incident or injured and survived it."),
        Outcome,
    ),
    (
        "status",
        _(
            "Who the person was at the time: a civilian, a member of the military or security "
            "forces, or a deminer at work."
        ),
        Status,
    ),
    (
        "device_category",
        _("The kind of explosive device that caused the incident, as far as it is known."),
        DeviceCategory,
    ),
    (
        "activity",
        _("What the person was doing when the device exploded."),
        Activity,
    ),
]


def vocabularies() -> list[dict]:
    """Each vocabulary with its definition and its values (code and label)."""
    from victims.figures import DIMENSION_LABELS

    return [
        {
            "code": code,
            "name": DIMENSION_LABELS[code],
            "definition": definition,
            "values": list(choices.choices),
        }
        for code, definition, choices in VOCABULARIES
    ]
