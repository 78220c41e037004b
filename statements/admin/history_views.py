"""An edition's revisions in the admin: compare two, restore one, read an old one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.history import ReadableHistoryAdmin
from statements import actions, workflow
from statements.diffs import inline_diff
from statements.models import Edition, Topic, WorkflowError
from statements.richtext import allow_the_editor, html_to_text


class HistoryViews(ReadableHistoryAdmin):
    """The revision pages of EditionAdmin."""

    def compare_view(self, request, pk: int):
        """A readable diff between two saved revisions of an edition (`?a=` and `?b=`)."""
        statement = get_object_or_404(Edition, pk=pk)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied(_("You do not have permission to view statements."))
        records = statement.history.all()
        try:
            older = records.get(history_id=int(request.GET.get("a", "")))
            newer = records.get(history_id=int(request.GET.get("b", "")))
        except (ValueError, Edition.history.model.DoesNotExist):
            messages.error(request, _("Choose two revisions of this statement to compare."))
            return HttpResponseRedirect(reverse("admin:statements_edition_history", args=[pk]))
        if older.history_date > newer.history_date:
            older, newer = newer, older
        changes = []
        for change in newer.diff_against(older, excluded_fields=self.history_hidden_fields).changes:
            field = Edition._meta.get_field(change.field)
            old, new = change.old, change.new
            if change.field == "body":
                old, new = html_to_text(old or ""), html_to_text(new or "")
            if change.field == "topics":
                old = ", ".join(str(Topic.objects.filter(pk=row["topic"]).first()) for row in old)
                new = ", ".join(str(Topic.objects.filter(pk=row["topic"]).first()) for row in new)
            diff = inline_diff(str(old or ""), str(new or ""))
            label = getattr(field, "verbose_name", change.field)
            changes.append({"label": label, "diff": diff})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "statement": statement,
            "older": older,
            "newer": newer,
            "changes": changes,
            "title": _("Compare revisions: %(title)s") % {"title": statement.title},
        }
        return TemplateResponse(request, "admin/statements/edition/compare.html", context)

    def restore_view(self, request, pk: int, history_id: int):
        """Restore an old revision as a new draft: into this edition if it is still a draft
        or in review, otherwise into a new edition."""
        statement = get_object_or_404(Edition, pk=pk)
        record = get_object_or_404(statement.history, history_id=history_id)
        if request.method != "POST":
            raise PermissionDenied(_("This address only answers the button on the compare page."))
        reason = workflow.refusal(statement, request.user, "restore")
        if reason:
            raise PermissionDenied(reason)
        try:
            target = actions.restore_revision(statement, record, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:statements_edition_change", args=[pk]))
        messages.success(request, _("The old revision was restored as a draft."))
        return HttpResponseRedirect(reverse("admin:statements_edition_change", args=[target.pk]))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One old revision, read-only, in the same form (and so the same editor)."""
        return allow_the_editor(
            super().history_form_view(request, object_id, version_id, extra_context)
        )
