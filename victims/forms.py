"""Admin forms of the register: the incident with its casualties, and the import upload."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from config.admin_forms import LabelledInlineFormSet
from victims.choices import Outcome, Verification, age_group_for
from victims.models import Casualty, Incident

DUPLICATE_WINDOW_DAYS = 3


class IncidentForm(forms.ModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked the possible duplicates: this is a different incident"),
        required=False,
    )

    class Meta:
        model = Incident
        fields = [
            "occurred_on",
            "date_precision",
            "area",
            "place_type",
            "outside_contact_line",
            "inside_mapped_area",
            "device_category",
            "device_model",
            "production_year",
            "activity",
            "source_type",
            "source_reference",
            "internal_note",
            "verification",
        ]


class CasualtyForm(forms.ModelForm):
    """An age in years may be typed; only its age group is stored."""

    age_years = forms.IntegerField(
        label=_("age in years"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Optional: only the age group is kept."),
    )

    class Meta:
        model = Casualty
        fields = ["outcome", "status", "sex", "age_years", "age_group", "injury", "displacement"]

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("age_years") is not None:
            cleaned["age_group"] = age_group_for(cleaned["age_years"])
            self.instance.age_group = cleaned["age_group"]
        if cleaned.get("injury") and cleaned.get("outcome") != Outcome.INJURED:
            self.add_error("injury", _("An injury is recorded for the injured only."))
        return cleaned


class CasualtyFormSet(LabelledInlineFormSet):
    """Checks that need the incident and all its casualties together."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        incident = self.instance
        if incident.verification == Verification.VERIFIED and not kept:
            raise ValidationError(_("A verified incident needs at least one casualty."))
        killed = sum(1 for data in kept if data.get("outcome") == Outcome.KILLED)
        injured = sum(1 for data in kept if data.get("outcome") == Outcome.INJURED)
        duplicates = possible_duplicates(incident, killed, injured)
        if duplicates and self.data.get("confirm_not_duplicate") != "on":
            links = format_html_join(
                ", ",
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                (
                    (reverse("admin:victims_incident_change", args=[other.pk]), other.reference)
                    for other in duplicates
                ),
            )
            raise ValidationError(
                format_html(
                    "{} {}. {}",
                    _(
                        "Possible duplicates: incidents in the same district within 3 days "
                        "with the same numbers killed and injured:"
                    ),
                    links,
                    _(
                        "Check them (they open in a new tab, this form stays as it is); if "
                        "this is a different incident, tick “I have checked the possible "
                        "duplicates” and save again."
                    ),
                )
            )


def possible_duplicates(incident: Incident, killed: int, injured: int) -> list[Incident]:
    """Incidents in the same district within ±3 days with the same numbers killed and injured."""
    if not incident.area_id or not incident.occurred_on:
        return []
    from datetime import timedelta

    window = timedelta(days=DUPLICATE_WINDOW_DAYS)
    return list(
        Incident.objects.with_counts()
        .filter(
            area=incident.area_id,
            occurred_on__range=(incident.occurred_on - window, incident.occurred_on + window),
            killed=killed,
            injured=injured,
        )
        .exclude(pk=incident.pk)
        .order_by("occurred_on")[:10]
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One row per casualty; see the column list below."),
    )
