"""The editors' daily tool: statements in the Django admin.

Every workflow button calls the same named operation as commands and tests do
(`Statement.submit`, `.publish`, ...); this module only asks for confirmation and reports.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from statements import forms
from statements.diffs import inline_diff
from statements.models import (
    EDIT_PERMISSION,
    PUBLISH_PERMISSION,
    Attachment,
    Observance,
    Organisation,
    Statement,
    StatementEvent,
    Topic,
    WorkflowError,
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
        years = Statement.objects.dates("issued_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(issued_on__year=int(self.value()))
        return queryset


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    form = forms.StatementForm
    inlines = [AttachmentInline]
    change_form_template = "admin/statements/statement/change_form.html"
    object_history_template = "admin/statements/statement/object_history.html"
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
    autocomplete_fields = ["topics"]
    view_on_site = False  # the change page links the public page only when it is live
    history_list_display = ["state", "title"]
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

    def get_fieldsets(self, request, obj=None):
        """The change fieldset only matters from the second edition on."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.number == 1:
            return [fieldset for fieldset in fieldsets if fieldset[0] != _("Change")]
        return fieldsets

    # --- list -----------------------------------------------------------------------------

    def get_queryset(self, request):
        went_live = Statement.objects.went_live().filter(document=OuterRef("document"))
        newer_live = went_live.filter(go_live_at__gt=OuterRef("go_live_at"))
        source_live = Statement.objects.published().filter(
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
        elif obj.state in (State.DRAFT, State.IN_REVIEW) and obj.has_live:
            label = _("Published, with unpublished changes (%(state)s)") % {
                "state": obj.get_state_display().lower()
            }
        else:
            label = obj.get_state_display()
        return format_html('<span class="state state-{}">{}</span>', obj.state, label)

    # --- permissions ----------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
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
        obj.last_edited_by = request.user
        obj.updated_at = timezone.now()
        if not change:
            obj.created_by = request.user
        obj.lock_version = (form.cleaned_data.get("lock_version") or 0) + 1 if change else 0
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            obj.image_renditions = build_renditions(obj.image.name) if obj.image else []
            Statement.objects.filter(pk=obj.pk).update(image_renditions=obj.image_renditions)
        StatementEvent.record(
            obj, request.user, "edit" if change else "create", obj.state, obj.state
        )

    # --- workflow views -------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/workflow/<str:action>/",
                wrap(self.workflow_view),
                name="statements_statement_workflow",
            ),
            path(
                "<int:pk>/new-edition/",
                wrap(self.new_edition_view),
                name="statements_statement_new_edition",
            ),
            path("<int:pk>/preview/", wrap(self.preview_view), name="statements_statement_preview"),
            path("<int:pk>/compare/", wrap(self.compare_view), name="statements_statement_compare"),
            path(
                "<int:pk>/restore/<int:history_id>/",
                wrap(self.restore_view),
                name="statements_statement_restore",
            ),
            path(
                "<int:pk>/translate/<str:language>/",
                wrap(self.translate_view),
                name="statements_statement_translate",
            ),
            path(
                "<int:pk>/translation-current/",
                wrap(self.translation_current_view),
                name="statements_statement_translation_current",
            ),
            path(
                "<int:pk>/share-link/",
                wrap(self.share_link_view),
                name="statements_statement_share_link",
            ),
            path(
                "<int:pk>/revoke-share-links/",
                wrap(self.revoke_share_links_view),
                name="statements_statement_revoke_share_links",
            ),
            path(
                "<int:pk>/change-note/",
                wrap(self.change_note_view),
                name="statements_statement_change_note",
            ),
            *super().get_urls(),
        ]

    def available_actions(self, request, statement: Statement) -> list[tuple[str, str]]:
        """The workflow actions this user may take on this edition now."""
        user = request.user
        can_edit = user.has_perm(EDIT_PERMISSION)
        can_publish = user.has_perm(PUBLISH_PERMISSION)
        actions = []
        if statement.state == State.DRAFT and can_edit:
            actions.append(("submit", _("Submit for review")))
        if statement.state == State.IN_REVIEW and can_publish:
            actions += [
                ("publish", _("Approve and publish")),
                ("schedule", _("Schedule")),
                ("return_to_draft", _("Return to draft")),
            ]
        if statement.is_scheduled and can_publish:
            actions.append(("unschedule", _("Unschedule")))
        live = statement.live_edition() if statement.go_live_at else None
        if live is not None and live.pk == statement.pk and can_publish:
            if statement.state == State.PUBLISHED:
                actions.append(("withdraw", _("Withdraw")))
            actions.append(("unpublish", _("Unpublish")))
        return actions

    def workflow_view(self, request: HttpRequest, pk: int, action: str):
        statement = get_object_or_404(Statement.objects.select_related("document"), pk=pk)
        allowed = dict(self.available_actions(request, statement))
        if action not in allowed:
            raise PermissionDenied
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
        initial = {"minor_change": statement.minor_change, "change_note": statement.change_note}
        data = request.POST if request.method == "POST" else None
        form = form_class(data, initial=initial, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                self._perform(request, statement, action, form.cleaned_data)
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": allowed[action]})
                return HttpResponseRedirect(
                    reverse("admin:statements_statement_change", args=[statement.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "statement": statement,
            "form": form,
            "action": action,
            "action_label": allowed[action],
            "title": f"{allowed[action]}: {statement.title}",
            "time_zone": timezone.get_current_timezone_name(),
        }
        return TemplateResponse(request, "admin/statements/statement/workflow.html", context)

    @staticmethod
    def _perform(request, statement: Statement, action: str, data: dict) -> None:
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

    def new_edition_view(self, request, pk: int):
        statement = get_object_or_404(Statement, pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            edition = statement.create_new_edition(by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))
        messages.success(
            request,
            _(
                "Edition %(number)s created as a draft. The public keeps seeing the live edition "
                "until this one is published."
            )
            % {"number": edition.number},
        )
        return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[edition.pk]))

    def preview_view(self, request, pk: int):
        statement = get_object_or_404(
            Statement.objects.select_related("document", "issuer").prefetch_related(
                "topics", "attachments"
            ),
            pk=pk,
        )
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        from statements.views import render_statement

        return render_statement(request, statement, preview=True)

    def compare_view(self, request, pk: int):
        """A readable diff between two saved revisions of an edition (`?a=` and `?b=`)."""
        statement = get_object_or_404(Statement, pk=pk)
        if not self.has_view_permission(request, statement):
            raise PermissionDenied
        records = statement.history.all()
        try:
            older = records.get(history_id=int(request.GET.get("a", "")))
            newer = records.get(history_id=int(request.GET.get("b", "")))
        except (ValueError, Statement.history.model.DoesNotExist):
            messages.error(request, _("Choose two revisions of this statement to compare."))
            return HttpResponseRedirect(reverse("admin:statements_statement_history", args=[pk]))
        if older.history_date > newer.history_date:
            older, newer = newer, older
        changes = []
        for change in newer.diff_against(older).changes:
            field = Statement._meta.get_field(change.field)
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
        return TemplateResponse(request, "admin/statements/statement/compare.html", context)

    def restore_view(self, request, pk: int, history_id: int):
        """Restore an old revision as a new draft: into this edition if it is still a draft
        or in review, otherwise into a new edition."""
        statement = get_object_or_404(Statement, pk=pk)
        record = get_object_or_404(statement.history, history_id=history_id)
        if request.method != "POST" or not request.user.has_perm(EDIT_PERMISSION):
            raise PermissionDenied
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
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))
        messages.success(request, _("The old revision was restored as a draft."))
        return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[target.pk]))

    def _post_operation(self, request, pk: int, operation, success):
        """Run a POST-only operation on an edition and go back to its page with a message."""
        statement = get_object_or_404(Statement.objects.select_related("document"), pk=pk)
        if request.method != "POST":
            raise PermissionDenied
        try:
            result = operation(statement)
        except WorkflowError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))
        return success(statement, result)

    def translate_view(self, request, pk: int, language: str):
        def created(statement, translation_draft):
            messages.success(
                request,
                _("The %(language)s version was created as a draft, from edition %(number)s.")
                % {"language": language, "number": statement.number},
            )
            return HttpResponseRedirect(
                reverse("admin:statements_statement_change", args=[translation_draft.pk])
            )

        return self._post_operation(
            request,
            pk,
            lambda statement: statement.create_translation(by=request.user, language=language),
            created,
        )

    def translation_current_view(self, request, pk: int):
        def done(statement, _result):
            messages.success(request, _("The translation is marked as up to date."))
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))

        return self._post_operation(
            request, pk, lambda statement: statement.mark_translation_current(by=request.user), done
        )

    def share_link_view(self, request, pk: int):
        def created(statement, token):
            url = request.build_absolute_uri(reverse("shared_preview", args=[token]))
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Share link, valid for %(days)s days:") % {"days": settings.SHARE_LINK_DAYS},
                    url,
                    url,
                ),
            )
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))

        return self._post_operation(
            request, pk, lambda statement: statement.create_share_link(by=request.user), created
        )

    def revoke_share_links_view(self, request, pk: int):
        def done(statement, _result):
            messages.success(request, _("Every share link of this statement has been revoked."))
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))

        return self._post_operation(
            request, pk, lambda statement: statement.revoke_share_links(by=request.user), done
        )

    def change_note_view(self, request, pk: int):
        """Publishers correct the text of a public change note."""
        statement = get_object_or_404(Statement, pk=pk)
        if not request.user.has_perm(PUBLISH_PERMISSION) or not statement.change_note:
            raise PermissionDenied
        form = forms.ChangeNoteForm(
            request.POST if request.method == "POST" else None,
            initial={"change_note": statement.change_note},
        )
        if request.method == "POST" and form.is_valid():
            old_note = statement.change_note
            Statement.objects.filter(pk=pk).update(
                change_note=form.cleaned_data["change_note"].strip()
            )
            StatementEvent.record(
                statement,
                request.user,
                "correct_change_note",
                statement.state,
                statement.state,
                f"Was: {old_note}",
            )
            messages.success(request, _("The change note was corrected."))
            return HttpResponseRedirect(reverse("admin:statements_statement_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "statement": statement,
            "form": form,
            "title": _("Correct the change note"),
            "action_label": _("Save the corrected note"),
        }
        return TemplateResponse(request, "admin/statements/statement/workflow.html", context)

    @staticmethod
    def _language_versions(obj: Statement) -> list[dict]:
        """Each site language: this statement's version in it (newest edition), or none."""
        versions = {
            edition.document.language: edition
            for edition in Statement.objects.latest_editions()
            .filter(document__translation_key=obj.document.translation_key)
            .select_related("document")
        }
        return [
            {"code": code, "name": name, "edition": versions.get(code)}
            for code, name in settings.LANGUAGES
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                workflow_actions=self.available_actions(request, obj),
                display_state=obj.display_state(),
                can_create_edition=(
                    request.user.has_perm(EDIT_PERMISSION)
                    and obj.state == State.PUBLISHED
                    and obj.has_gone_live
                    and not obj.is_superseded()
                    and not obj.document.editions.filter(number__gt=obj.number).exists()
                ),
                can_correct_note=request.user.has_perm(PUBLISH_PERMISSION)
                and bool(obj.change_note)
                and obj.state != State.DRAFT,
                editions=obj.document.editions.order_by("-number"),
                language_versions=self._language_versions(obj),
                source_update=obj.source_update(),
                can_share=request.user.has_perm(EDIT_PERMISSION) and obj.is_editable,
                events=obj.document.events.select_related("actor")[:30],
                time_zone=timezone.get_current_timezone_name(),
                public_url=obj.get_absolute_url() if obj.live_edition() else None,
            )
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response._csp_update = {
            "script-src": [editor_importmap_csp_source()],
            "style-src": [EDITOR_STYLE_CSP_SOURCE],
        }
        return response


@admin.register(Observance)
class ObservanceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "month", "day", "slug"]
    search_fields = ["name_en", "name_az", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_az", "name_ru", "slug"]
    search_fields = ["name_en", "name_az", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "is_default"]
    search_fields = ["name_en", "name_az", "name_ru"]


@admin.register(StatementEvent)
class StatementEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "document", "edition_number", "actor", "from_state", "to_state"]
    list_filter = ["action"]
    list_select_related = ["document", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
