"""The edition's workflow in the admin: the buttons' addresses, the confirmation pages and
the reports. What may be done is decided in statements/workflow.py and done by
statements/actions/; these views ask, call and report, and write nothing themselves.
Refusals raise PermissionDenied with the reason, which the admin shows as a page in its
layout (config/views.py: permission_denied)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from config.history import ReadableHistoryAdmin
from statements import actions, citations, forms, workflow
from statements.models import Edition, WorkflowError


class WorkflowViews(ReadableHistoryAdmin):
    """The workflow pages of EditionAdmin."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/workflow/<str:action>/",
                wrap(self.workflow_view),
                name="statements_edition_workflow",
            ),
            path(
                "<int:pk>/new-edition/",
                wrap(self.new_edition_view),
                name="statements_edition_new_edition",
            ),
            path("<int:pk>/preview/", wrap(self.preview_view), name="statements_edition_preview"),
            path("<int:pk>/compare/", wrap(self.compare_view), name="statements_edition_compare"),
            path(
                "<int:pk>/restore/<int:history_id>/",
                wrap(self.restore_view),
                name="statements_edition_restore",
            ),
            path(
                "<int:pk>/translate/<str:language>/",
                wrap(self.translate_view),
                name="statements_edition_translate",
            ),
            path(
                "<int:pk>/translation-current/",
                wrap(self.translation_current_view),
                name="statements_edition_translation_current",
            ),
            path(
                "<int:pk>/share-link/",
                wrap(self.share_link_view),
                name="statements_edition_share_link",
            ),
            path(
                "<int:pk>/revoke-share-links/",
                wrap(self.revoke_share_links_view),
                name="statements_edition_revoke_share_links",
            ),
            path(
                "<int:pk>/change-note/",
                wrap(self.change_note_view),
                name="statements_edition_change_note",
            ),
            *super().get_urls(),
        ]

    def _change_page(self, statement: Edition) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:statements_edition_change", args=[statement.pk]))

    @staticmethod
    def _action_url(statement: Edition, name: str, language: str = "") -> str:
        if name == "change_note":
            return reverse("admin:statements_edition_change_note", args=[statement.pk])
        if name == "translate":
            return reverse("admin:statements_edition_translate", args=[statement.pk, language])
        if name in ("new_edition", "share_link", "revoke_share_links", "translation_current"):
            return reverse(f"admin:statements_edition_{name}", args=[statement.pk])
        return reverse("admin:statements_edition_workflow", args=[statement.pk, name])

    def _start_action(self, request, statement: Edition, name: str, language: str = ""):
        """Start the action `name`: open its confirmation page, or run it now and go back to
        the edition's page with the result."""
        reason = workflow.refusal(statement, request.user, name)
        if reason:
            raise PermissionDenied(reason)
        if workflow.ACTIONS[name].confirm:
            return HttpResponseRedirect(self._action_url(statement, name))
        user = request.user
        try:
            if name == "new_edition":
                edition = actions.create_new_edition(statement, by=user)
                messages.success(
                    request,
                    _(
                        "Edition %(number)s created as a draft. The public keeps seeing the "
                        "live edition until this one is published."
                    )
                    % {"number": edition.number},
                )
                return self._change_page(edition)
            if name == "translate":
                draft = actions.create_translation(statement, by=user, language=language)
                messages.success(
                    request,
                    _("The %(language)s version was created as a draft, from edition %(number)s.")
                    % {
                        "language": draft.document.get_language_display(),
                        "number": statement.number,
                    },
                )
                return self._change_page(draft)
            if name == "share_link":
                token = actions.create_share_link(statement, by=user)
                url = request.build_absolute_uri(reverse("shared_preview", args=[token]))
                messages.success(
                    request,
                    format_html(
                        '{} <a href="{}" class="share-link">{}</a>',
                        _("Share link, valid for %(days)s days:")
                        % {"days": settings.SHARE_LINK_DAYS},
                        url,
                        url,
                    ),
                )
            elif name == "revoke_share_links":
                actions.revoke_share_links(statement, by=user)
                messages.success(request, _("Every share link of this statement has been revoked."))
            elif name == "translation_current":
                actions.mark_translation_current(statement, by=user)
                messages.success(request, _("The translation is marked as up to date."))
        except WorkflowError as error:
            messages.error(request, str(error))
        return self._change_page(statement)

    def _post_action(self, request, pk: int, name: str, language: str = ""):
        """The address of a button that runs an action at once: POST only."""
        statement = get_object_or_404(Edition.objects.select_related("document"), pk=pk)
        if request.method != "POST":
            raise PermissionDenied(
                _("This address only answers the button on the statement's page.")
            )
        return self._start_action(request, statement, name, language)

    def new_edition_view(self, request, pk: int):
        return self._post_action(request, pk, "new_edition")

    def translate_view(self, request, pk: int, language: str):
        return self._post_action(request, pk, "translate", language)

    def translation_current_view(self, request, pk: int):
        return self._post_action(request, pk, "translation_current")

    def share_link_view(self, request, pk: int):
        return self._post_action(request, pk, "share_link")

    def revoke_share_links_view(self, request, pk: int):
        return self._post_action(request, pk, "revoke_share_links")

    def workflow_view(self, request: HttpRequest, pk: int, action: str):
        """The confirmation page of an action: a comment, a time or an explanation, then the
        operation. The page carries the edition's version as it was shown: if anyone saved
        the edition meanwhile, the action is refused rather than applied to unseen text."""
        statement = get_object_or_404(Edition.objects.select_related("document"), pk=pk)
        spec = workflow.ACTIONS.get(action)
        if spec is None or not spec.confirm or action == "change_note":
            raise Http404
        reason = workflow.refusal(statement, request.user, action)
        if reason:
            raise PermissionDenied(reason)
        later_edition = statement.document.editions.filter(
            number__lt=statement.number, go_live_at__isnull=False
        ).exists()
        snapshot = statement.cited_snapshot
        figure_checks = citations.figure_check(
            statement.body, snapshot.figures if snapshot else None, statement.language
        )
        publish_options = {
            "figures_to_confirm": any(not check.matches for check in figure_checks),
            "later_edition": later_edition,
            "first_publication": statement.number == 1
            and statement.document.first_published_at is None,
        }
        form_class, kwargs = {
            "submit": (forms.CommentForm, {}),
            "return_to_draft": (forms.CommentForm, {"comment_required": True}),
            "publish": (forms.PublishForm, publish_options),
            "schedule": (forms.PublishForm, {"schedule": True, **publish_options}),
            "unschedule": (forms.CommentForm, {}),
            "withdraw": (forms.ExplanationForm, {}),
            "unpublish": (forms.UnpublishForm, {"exclude_document": statement.document_id}),
        }[action]
        initial = {
            "minor_change": statement.minor_change,
            "change_note": statement.change_note,
            "seen_version": statement.lock_version,
        }
        data = request.POST if request.method == "POST" else None
        form = form_class(data, initial=initial, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    self._check_unchanged(statement, form.cleaned_data.get("seen_version"))
                    self._perform(request, statement, action, form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
                return self._change_page(statement)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "statement": statement,
            "form": form,
            "action": action,
            "action_label": spec.label,
            "title": f"{spec.label}: {statement.title}",
            "time_zone": timezone.get_current_timezone_name(),
            "figure_checks": figure_checks if action in ("publish", "schedule") else [],
            "snapshot": snapshot,
        }
        return TemplateResponse(request, "admin/statements/edition/workflow.html", context)

    @staticmethod
    def _check_unchanged(statement: Edition, seen_version: int | None) -> None:
        """Refuse to act on an edition saved by someone after the page was opened."""
        if seen_version is None:
            return
        current = (
            Edition.objects.select_for_update(of=("self",))
            .select_related("last_edited_by")
            .get(pk=statement.pk)
        )
        if current.lock_version != seen_version:
            raise WorkflowError(
                _(
                    "%(who)s changed this edition at %(when)s, after you opened this page. "
                    "Nothing was done: go back to the edition, read the changes, then try "
                    "again."
                )
                % {
                    "who": current.last_edited_by or _("Someone"),
                    "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M"),
                }
            )

    @staticmethod
    def _perform(request, statement: Edition, action: str, data: dict) -> None:
        user = request.user
        comment = data.get("comment", "")
        if action == "submit":
            actions.submit(statement, by=user, comment=comment)
        elif action == "return_to_draft":
            actions.return_to_draft(statement, by=user, comment=comment)
        elif action in ("publish", "schedule"):
            options: dict[str, Any] = {"comment": comment}
            if "minor_change" in data:
                options.update(minor_change=data["minor_change"], change_note=data["change_note"])
            if data.get("first_published_at"):
                options["first_published_at"] = data["first_published_at"]
            at = data.get("go_live_at")
            if action == "schedule":
                if at is None:  # the form requires a time; never reached from it
                    raise WorkflowError(_("Choose a time in the future to schedule."))
                actions.schedule(statement, by=user, at=at, **options)
            else:
                actions.publish(statement, by=user, at=at, **options)
        elif action == "unschedule":
            actions.unschedule(statement, by=user, comment=comment)
        elif action == "withdraw":
            actions.withdraw(statement, by=user, explanation=data["explanation"])
        elif action == "unpublish":
            actions.unpublish(
                statement,
                by=user,
                explanation=data["explanation"],
                replacement=data.get("replacement"),
            )

    def preview_view(self, request, pk: int):
        statement = get_object_or_404(
            Edition.objects.for_display(),
            pk=pk,
        )
        if not self.has_view_permission(request, statement):
            raise PermissionDenied(_("You do not have permission to view statements."))
        from statements.views import render_statement

        return render_statement(request, statement, preview=True)

    def change_note_view(self, request, pk: int):
        """Publishers correct the text of a public change note."""
        statement = get_object_or_404(Edition, pk=pk)
        reason = workflow.refusal(statement, request.user, "change_note")
        if reason:
            raise PermissionDenied(reason)
        form = forms.ChangeNoteForm(
            request.POST if request.method == "POST" else None,
            initial={"change_note": statement.change_note},
        )
        if request.method == "POST" and form.is_valid():
            actions.correct_change_note(
                statement, by=request.user, change_note=form.cleaned_data["change_note"]
            )
            messages.success(request, _("The change note was corrected."))
            return self._change_page(statement)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "statement": statement,
            "form": form,
            "title": _("Correct the change note"),
            "action_label": _("Save the corrected note"),
        }
        return TemplateResponse(request, "admin/statements/edition/workflow.html", context)
