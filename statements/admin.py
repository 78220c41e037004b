"""The editors' daily tool: statements in the Django admin.

Every workflow button calls the same named operation as commands and tests do
(`Edition.submit`, `.publish`, ...); this module only asks for confirmation and reports.
"""

from typing import ClassVar

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from config.admin_changelists import SafeChangeListMixin
from config.admin_forms import LabelledInlineFormSet
from config.history import ReadableHistoryAdmin
from statements import forms, workflow
from statements.diffs import inline_diff
from statements.models import (
    EDIT_PERMISSION,
    Attachment,
    AuditAction,
    Edition,
    Observance,
    Organisation,
    StatementEvent,
    Topic,
    WorkflowError,
    action_label,
)
from statements.querysets import State
from statements.richtext import (
    EDITOR_STYLE_CSP_SOURCE,
    editor_importmap_csp_source,
    html_to_text,
)
from statements.uploads import build_renditions


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = forms.AttachmentForm
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["title", "file", "position", "media_type", "size"]
    readonly_fields = ["media_type", "size"]


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("in_review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
            ("changes", _("Published, with unpublished changes")),
            ("withdrawn", _("Withdrawn")),
            ("unpublished", _("Unpublished")),
        ]

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
        if self.value() and self.value().isdigit():
            return queryset.filter(issued_on__year=int(self.value()))
        return queryset


@admin.register(Edition)
class EditionAdmin(ReadableHistoryAdmin):
    form = forms.StatementForm
    inlines = [AttachmentInline]
    change_form_template = "admin/statements/edition/change_form.html"
    object_history_template = "admin/statements/edition/object_history.html"
    object_history_form_template = "admin/statements/edition/object_history_form.html"
    list_display = [
        "title",
        "language_code",
        "kind",
        "state_label",
        "translation_label",
        "issued_on",
        "last_edited_by",
        "updated_at",
    ]
    list_filter = [
        StateFilter,
        "document__language",
        "kind",
        "topics",
        YearFilter,
        OutdatedTranslationFilter,
    ]
    list_select_related = ["document", "last_edited_by"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "issued_on"
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = False  # the change page links the public page only when it is live
    history_list_display = ["state", "title"]
    history_hidden_fields: ClassVar[set[str]] = {
        "document",
        "number",
        "created_by",
        "created_at",
        "updated_at",
        "last_edited_by",
        "submitted_by",
        "public_updated_at",
        "image_renditions",
        "sha256",
    }
    history_long_texts: ClassVar[set[str]] = {"body"}
    fieldsets = [
        (_("Text"), {"fields": ["language", "title", "slug", "summary", "body"]}),
        (
            _("Details"),
            {
                "fields": [
                    "kind",
                    "issued_on",
                    "place",
                    "reference_number",
                    "issuer",
                    "topics",
                    "observance",
                ]
            },
        ),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Change"), {"fields": ["minor_change", "change_note"]}),
        (None, {"fields": ["lock_version"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "topics" and field is not None:
            # Django's "add another" pop-up updates a select, not a list of checkboxes: a new
            # topic is added on the Topics page, then ticked here.
            field.widget.can_add_related = False
        return field

    def get_fieldsets(self, request, obj=None):
        """The change fieldset only matters from the second edition on. A frozen edition
        shows its body as it reads, not as HTML source."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.number == 1:
            fieldsets = [fieldset for fieldset in fieldsets if fieldset[0] != _("Change")]
        if obj is not None and not self.has_change_permission(request, obj):
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            "body_as_read" if field == "body" else field
                            for field in options["fields"]
                        ],
                    },
                )
                for name, options in fieldsets
            ]
        return fieldsets

    @admin.display(description=_("body"))
    def body_as_read(self, obj):
        # Sanitised on every save (SanitizedProseField), as the public page trusts it.
        return mark_safe(obj.body)  # noqa: S308

    # --- list -----------------------------------------------------------------------------

    def get_queryset(self, request):
        went_live = Edition.objects.went_live().filter(document=OuterRef("document"))
        newer_live = went_live.filter(go_live_at__gt=OuterRef("go_live_at"))
        source_live = Edition.objects.published().filter(
            document=OuterRef("document__translated_from__document")
        )
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                has_live=Exists(went_live),
                has_newer_live=Exists(newer_live),
                source_live_updated=Subquery(source_live.values("public_updated_at")[:1]),
                made_from_updated=Coalesce(
                    "document__translated_from__public_updated_at",
                    "document__translated_from__created_at",
                ),
            )
        )
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            return queryset.latest_editions()
        return queryset

    @admin.display(description=_("translation"))
    def translation_label(self, obj):
        if obj.source_live_updated is None or obj.made_from_updated is None:
            return ""
        if obj.source_live_updated > obj.made_from_updated:
            return format_html('<span class="state state-withdrawn">{}</span>', _("Outdated"))
        return _("Up to date")

    @admin.display(description=_("language"), ordering="document__language")
    def language_code(self, obj):
        return obj.document.language

    @admin.display(description=_("state"))
    def state_label(self, obj):
        now = timezone.now()
        if obj.state == State.PUBLISHED:
            if obj.go_live_at > now:
                label = _("Scheduled for %(time)s") % {
                    "time": timezone.localtime(obj.go_live_at).strftime("%Y-%m-%d %H:%M")
                }
            else:
                label = _("Superseded") if obj.has_newer_live else _("Published")
        else:
            label = obj.get_state_display()
        if obj.state in (State.DRAFT, State.IN_REVIEW) and obj.has_live:
            return format_html(
                '<span class="state state-{}">{}</span> <span class="state-note">({})</span>',
                obj.state,
                label,
                _("an earlier edition is live"),
            )
        return format_html('<span class="state state-{}">{}</span>', obj.state, label)

    # --- permissions ----------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        """A frozen edition is shown read-only. A POST to it is let through to the form,
        which refuses it and keeps what was typed: the edition was published while open."""
        if obj is not None and not obj.is_editable and request.method != "POST":
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        """Drafts can be discarded; an edition that has been (or is set to go) public is the
        public record, and only a superuser may delete it, after a warning."""
        if obj is not None and obj.go_live_at is not None:
            return request.user.is_superuser
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        """Deleting a public edition or a first draft deletes the whole statement; deleting a
        later draft edition only discards those changes."""
        if obj.number == 1 or obj.go_live_at is not None:
            obj.document.delete()
        else:
            obj.delete()

    def delete_queryset(self, request, queryset):
        for statement in queryset:
            self.delete_model(request, statement)

    # --- saving ---------------------------------------------------------------------------

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        default = Organisation.default()
        if default:
            initial.setdefault("issuer", default.pk)
        initial.setdefault("issued_on", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        """Save what was typed. A form sent with nothing changed (a workflow button pressed
        on an untouched page) saves nothing: no revision, no audit row, and the person does
        not become the edition's last editor (which would matter for four eyes)."""
        if change and not form.has_changed():
            return
        obj.last_edited_by = request.user
        obj.updated_at = timezone.now()
        if not change:
            obj.created_by = request.user
        obj.lock_version = (form.cleaned_data.get("lock_version") or 0) + 1 if change else 0
        obj._change_reason = "edit" if change else "create"
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            obj.image_renditions = build_renditions(obj.image.name) if obj.image else []
            Edition.objects.filter(pk=obj.pk).update(image_renditions=obj.image_renditions)
        StatementEvent.record(
            obj, request.user, "edit" if change else "create", obj.state, obj.state
        )
        request.edition_saved = True

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            # Only the attachments changed: still an edit of this edition.
            Edition.objects.filter(pk=form.instance.pk).update(
                last_edited_by=request.user,
                updated_at=timezone.now(),
                lock_version=F("lock_version") + 1,
            )
            StatementEvent.record(
                form.instance, request.user, "edit", form.instance.state, form.instance.state
            )
            request.edition_saved = True

    def history_reason_label(self, reason: str) -> str:
        return action_label(reason)

    def response_change(self, request, obj):
        """A workflow button on the edit page posts the whole form: what was typed is saved
        first (or, if it cannot be saved, the errors are shown and nothing else happens),
        then the action starts."""
        action = request.POST.get("_action")
        if not action:
            return super().response_change(request, obj)
        if getattr(request, "edition_saved", False):
            messages.success(request, _("Your changes were saved."))
        if action == "preview":
            return HttpResponseRedirect(reverse("admin:statements_edition_preview", args=[obj.pk]))
        name, _sep, language = action.partition(":")
        obj.refresh_from_db()  # as saved: last editor, state
        reason = workflow.refusal(obj, request.user, name)
        if reason:
            # Not a 403: that would roll back the save this request has just made (the
            # admin's change view runs in one transaction). Back to the page, saying why.
            messages.error(request, reason)
            return self._change_page(obj)
        return self._start_action(request, obj, name, language=language)

    # --- workflow views -------------------------------------------------------------------

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

    # --- workflow -------------------------------------------------------------------------
    # What may be done is decided in statements/workflow.py; each action runs the named
    # operation on the model. Refusals raise PermissionDenied with the reason, which the
    # admin shows as a page in its layout (config/views.py: permission_denied).

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
                edition = statement.create_new_edition(by=user)
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
                draft = statement.create_translation(by=user, language=language)
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
                token = statement.create_share_link(by=user)
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
                statement.revoke_share_links(by=user)
                messages.success(request, _("Every share link of this statement has been revoked."))
            elif name == "translation_current":
                statement.mark_translation_current(by=user)
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
        form_class, kwargs = {
            "submit": (forms.CommentForm, {}),
            "return_to_draft": (forms.CommentForm, {"comment_required": True}),
            "publish": (forms.PublishForm, {"later_edition": later_edition}),
            "schedule": (forms.PublishForm, {"schedule": True, "later_edition": later_edition}),
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
            statement.submit(by=user, comment=comment)
        elif action == "return_to_draft":
            statement.return_to_draft(by=user, comment=comment)
        elif action in ("publish", "schedule"):
            options = {"comment": comment}
            if "minor_change" in data:
                options.update(minor_change=data["minor_change"], change_note=data["change_note"])
            at = data.get("go_live_at")
            if action == "schedule":
                statement.schedule(by=user, at=at, **options)
            else:
                statement.publish(by=user, at=at, **options)
        elif action == "unschedule":
            statement.unschedule(by=user, comment=comment)
        elif action == "withdraw":
            statement.withdraw(by=user, explanation=data["explanation"])
        elif action == "unpublish":
            statement.unpublish(
                by=user, explanation=data["explanation"], replacement=data.get("replacement")
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
            changes.append({"label": field.verbose_name, "diff": diff})
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
        if not request.user.has_perm(EDIT_PERMISSION):
            raise PermissionDenied(workflow.PERMISSION_REASONS[EDIT_PERMISSION])
        try:
            with transaction.atomic():
                target = (
                    statement
                    if statement.is_editable
                    else statement.create_new_edition(by=request.user)
                )
                if target.state == State.IN_REVIEW:
                    target.return_to_draft(
                        by=request.user, comment=str(_("Old revision restored."))
                    )
                old = record.instance
                for name in (
                    "title",
                    "slug",
                    "kind",
                    "summary",
                    "body",
                    "issued_on",
                    "place",
                    "reference_number",
                    "issuer_id",
                    "image",
                    "image_alt",
                    "image_renditions",
                ):
                    setattr(target, name, getattr(old, name))
                target.last_edited_by = request.user
                target.updated_at = timezone.now()
                target.lock_version += 1
                target._history_user = request.user
                target._change_reason = "restore"
                target.save()
                target.topics.set([row.topic_id for row in record.topics.all()])
                StatementEvent.record(
                    target,
                    request.user,
                    "restore",
                    target.state,
                    target.state,
                    f"Revision of {timezone.localtime(record.history_date):%Y-%m-%d %H:%M}",
                )
        except WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:statements_edition_change", args=[pk]))
        messages.success(request, _("The old revision was restored as a draft."))
        return HttpResponseRedirect(reverse("admin:statements_edition_change", args=[target.pk]))

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
            old_note = statement.change_note
            statement.change_note = form.cleaned_data["change_note"].strip()
            statement._history_user = request.user
            statement._change_reason = "correct_change_note"
            statement.save(update_fields=["change_note"])
            StatementEvent.record(
                statement,
                request.user,
                "correct_change_note",
                statement.state,
                statement.state,
                f"Was: {old_note}",
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

    @staticmethod
    def _language_versions(obj: Edition) -> list[dict]:
        """Each site language: this statement's version in it (newest edition), or none."""
        key = obj.document.translation_key
        versions = Edition.objects.latest_editions().versions_by_translation([key]).get(key, {})
        return [
            {"code": code, "name": name, "edition": versions.get(code)}
            for code, name in settings.LANGUAGES
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            # On an edition being edited, every button submits the edit form (its `_action`
            # says which): what was typed is saved before anything else happens. On a frozen
            # edition the buttons are small forms of their own, beside the read-only page.
            through_form = obj.is_editable and self.has_change_permission(request, obj)

            def button(name: str, label=None, language: str = "") -> dict:
                return {
                    "label": label or workflow.ACTIONS[name].label,
                    "value": f"{name}:{language}" if language else name,
                    "url": self._action_url(obj, name, language),
                    "link": workflow.ACTIONS[name].confirm and not through_form,
                    "through_form": through_form,
                }

            versions = self._language_versions(obj)
            can_translate = workflow.refusal(obj, user, "translate") is None
            for version in versions:
                if version["edition"] is None and can_translate:
                    version["button"] = button(
                        "translate",
                        _("Add translation: %(language)s") % {"language": version["name"]},
                        version["code"],
                    )
            source_update = obj.source_update()
            context.update(
                workflow_buttons=[
                    button(action.name) for action in workflow.available_actions(obj, user)
                ],
                preview_button=through_form,
                # A publisher about to approve: editing first would make the edition theirs.
                four_eyes_hint=through_form
                and settings.STATEMENTS_FOUR_EYES
                and workflow.refusal(obj, user, "publish") is None,
                display_state=obj.display_state(),
                live_edition=obj.live_edition() if obj.is_editable else None,
                editions=obj.document.editions.order_by("-number"),
                language_versions=versions,
                source_update=source_update,
                translation_current_button=(
                    button("translation_current")
                    if source_update and workflow.refusal(obj, user, "translation_current") is None
                    else None
                ),
                events=obj.document.events.select_related("actor")[:30],
                time_zone=timezone.get_current_timezone_name(),
                public_url=obj.get_absolute_url() if obj.live_edition() else None,
            )
        return self._allow_the_editor(
            super().render_change_form(request, context, add, change, form_url, obj)
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One old revision, read-only, in the same form (and so the same editor)."""
        return self._allow_the_editor(
            super().history_form_view(request, object_id, version_id, extra_context)
        )

    @staticmethod
    def _allow_the_editor(response):
        """Pages showing the rich-text editor allow its import map and style, nothing else."""
        response._csp_update = {
            "script-src": [editor_importmap_csp_source()],
            "style-src": [EDITOR_STYLE_CSP_SOURCE],
        }
        return response


@admin.register(Observance)
class ObservanceAdmin(SafeChangeListMixin, admin.ModelAdmin):
    list_display = ["name_en", "month", "day", "slug"]
    search_fields = ["name_en", "name_az", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Topic)
class TopicAdmin(SafeChangeListMixin, admin.ModelAdmin):
    list_display = ["name_en", "name_az", "name_ru", "slug"]
    search_fields = ["name_en", "name_az", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Organisation)
class OrganisationAdmin(SafeChangeListMixin, admin.ModelAdmin):
    form = forms.OrganisationForm
    list_display = ["name_en", "is_default"]
    search_fields = ["name_en", "name_az", "name_ru"]


class EventActionFilter(admin.SimpleListFilter):
    title = _("what")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(key, action_label(key)) for key in AuditAction.values]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(StatementEvent)
class StatementEventAdmin(SafeChangeListMixin, admin.ModelAdmin):
    """The audit trail, read-only, in words."""

    list_display = ["at", "what", "edition", "actor", "from_label", "to_label", "comment"]
    list_filter = [EventActionFilter]
    list_select_related = ["edition", "actor"]
    date_hierarchy = "at"

    @admin.display(description=_("what"), ordering="action")
    def what(self, event):
        return event.action_label

    @admin.display(description=_("statement"))
    def edition(self, event):
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
