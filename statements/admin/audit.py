"""The audit trail in the admin: read-only, in words."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_changelists import SafeChangeListMixin
from statements.admin.filters import EventActionFilter
from statements.models import StatementEvent
from statements.querysets import State


@admin.register(StatementEvent)
class StatementEventAdmin(SafeChangeListMixin, admin.ModelAdmin):
    """The audit trail, read-only, in words."""

    list_display = ["at", "what", "statement", "actor", "from_label", "to_label", "comment"]
    list_filter = [EventActionFilter]
    list_select_related = ["edition", "actor"]
    date_hierarchy = "at"

    @admin.display(description=_("what"), ordering="action")
    def what(self, event):
        return event.action_label

    @admin.display(description=_("statement"))
    def statement(self, event):
        if event.edition is None:
            return _("(deleted) statement #%(number)s") % {"number": event.document_id}
        return f"{event.edition.title} ({event.edition_number})"

    @admin.display(description=_("from"))
    def from_label(self, event):
        return State(event.from_state).label if event.from_state in State.values else "—"

    @admin.display(description=_("to"))
    def to_label(self, event):
        return State(event.to_state).label if event.to_state in State.values else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
