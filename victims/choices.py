"""The register's controlled vocabularies (Landmine Monitor / IMSMA, see DOMAIN.md §2).

Each is enforced by the database too: every model field using one has a CheckConstraint.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class PlaceType(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential area")
    AGRICULTURAL = "agricultural", _("Agricultural land")
    PASTURE_FOREST = "pasture_forest", _("Pasture or forest")
    ROAD = "road", _("Road")
    CEMETERY = "cemetery", _("Cemetery")
    CONSTRUCTION = "construction", _("Construction or restoration site")
    MILITARY = "military", _("Military position")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class DeviceCategory(models.TextChoices):
    ANTIPERSONNEL = "antipersonnel", _("Antipersonnel mine")
    ANTIVEHICLE = "antivehicle", _("Antivehicle mine")
    IMPROVISED = "improvised", _("Improvised mine")
    UNSPECIFIED_MINE = "unspecified_mine", _("Mine of unspecified type")
    CLUSTER = "cluster_submunition", _("Cluster submunition")
    OTHER_ERW = "other_erw", _("Other explosive remnant of war")
    UNKNOWN = "unknown", _("Unknown")


class Activity(models.TextChoices):
    FARMING = "farming", _("Farming")
    HERDING = "herding", _("Herding")
    COLLECTING = "collecting", _("Collecting wood, food or water")
    ON_FOOT = "travelling_on_foot", _("Travelling on foot")
    BY_VEHICLE = "travelling_by_vehicle", _("Travelling by vehicle")
    PLAYING = "playing", _("Playing")
    SCRAP_METAL = "scrap_metal", _("Scrap-metal collection")
    HANDLING = "handling", _("Handling or tampering")
    CLEARANCE = "clearance", _("Clearance work")
    CONSTRUCTION = "construction", _("Construction or restoration work")
    MILITARY_DUTY = "military_duty", _("Military duty")
    HOUSEHOLD = "household", _("Household")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class SourceType(models.TextChoices):
    OFFICIAL = "official", _("Official")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    OPERATOR = "mine_action_operator", _("Mine action operator")
    NGO = "ngo", _("NGO")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")
    SYNTHETIC = "synthetic", _("Synthetic (demonstration data)")


class Verification(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    CONTESTED = "contested", _("Contested")
    DISCOUNTED = "discounted", _("Discounted")


class Outcome(models.TextChoices):
    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")
    UNKNOWN = "unknown", _("Unknown")


class Status(models.TextChoices):
    CIVILIAN = "civilian", _("Civilian")
    MILITARY = "military", _("Military or security forces")
    DEMINER = "deminer", _("Deminer")
    UNKNOWN = "unknown", _("Unknown")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    AGE_0_4 = "0-4", "0–4"
    AGE_5_11 = "5-11", "5–11"
    AGE_12_17 = "12-17", "12–17"
    AGE_18_29 = "18-29", "18–29"
    AGE_30_44 = "30-44", "30–44"
    AGE_45_59 = "45-59", "45–59"
    AGE_60_PLUS = "60+", "60+"
    UNKNOWN = "unknown", _("Unknown")


CHILD_AGE_GROUPS = [AgeGroup.AGE_0_4, AgeGroup.AGE_5_11, AgeGroup.AGE_12_17]


def age_group_for(age: int) -> str:
    """The age group of an age in years: only the group is ever stored."""
    if age < 0 or age > 120:
        raise ValueError("age out of range")
    for upper, group in (
        (4, AgeGroup.AGE_0_4),
        (11, AgeGroup.AGE_5_11),
        (17, AgeGroup.AGE_12_17),
        (29, AgeGroup.AGE_18_29),
        (44, AgeGroup.AGE_30_44),
        (59, AgeGroup.AGE_45_59),
    ):
        if age <= upper:
            return group
    return AgeGroup.AGE_60_PLUS


class Injury(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    LOWER_LIMB = "lower_limb_amputation", _("Lower-limb amputation")
    UPPER_LIMB = "upper_limb_amputation", _("Upper-limb amputation")
    EYE = "eye_injury", _("Eye injury")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Displacement(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    RETURNEE = "returnee", _("Returnee / former IDP")
    IDP = "idp", _("IDP")
    UNKNOWN = "unknown", _("Unknown")
