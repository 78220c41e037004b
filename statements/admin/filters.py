"""The admin's list filters for editions and the audit trail."""

from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements.models import AuditAction, Edition, action_label
from statements.querysets import State
from statements.workflow import DisplayState


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        """The states an editor reads (workflow.DisplayState), with "published with
        unpublished changes" after "published"; "superseded" is found in the history."""
        choices = [
            (state.value, state.label) for state in DisplayState if state != DisplayState.SUPERSEDED
        ]
        at = [value for value, _label in choices].index(DisplayState.PUBLISHED) + 1
        choices.insert(at, ("changes", _("Published, with unpublished changes")))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        now = timezone.now()
        if value in ("draft", "in_review"):
            return queryset.filter(state=value)
        if value == "scheduled":
            return queryset.scheduled()
        if value == "published":
            return queryset.filter(state=State.PUBLISHED, go_live_at__lte=now)
        if value == "changes":
            return queryset.filter(state__in=[State.DRAFT, State.IN_REVIEW], has_live=True)
        if value in ("withdrawn", "unpublished"):
            return queryset.filter(state=value)
        return queryset


class OutdatedTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("outdated", _("Outdated")), ("current", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() == "outdated":
            return queryset.filter(source_live_updated__gt=F("made_from_updated"))
        if self.value() == "current":
            return queryset.filter(source_live_updated__lte=F("made_from_updated"))
        return queryset


class YearFilter(admin.SimpleListFilter):
    title = _("year issued")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Edition.objects.dates("issued_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        year = self.value()
        if year and year.isdigit():
            return queryset.filter(issued_on__year=int(year))
        return queryset


class EventActionFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(key, action_label(key)) for key in AuditAction.values]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset
