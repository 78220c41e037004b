"""The editors' daily tool: editions of statements in the Django admin.

The list, the edit page and its workflow panel. Every workflow button calls the same
operation in statements/actions/ as the commands and tests do; the admin asks for
confirmation, reports, and makes no business writes of its own. Its other pages are in
workflow_views.py and history_views.py.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from config.admin_forms import LabelledInlineFormSet
from statements import actions, forms, workflow
from statements.admin.filters import OutdatedTranslationFilter, StateFilter, YearFilter
from statements.admin.history_views import HistoryViews
from statements.admin.workflow_views import WorkflowViews
from statements.models import Attachment, Edition, Organisation, action_label
from statements.querysets import State
from statements.richtext import allow_the_editor


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = forms.AttachmentForm
    formset = LabelledInlineFormSet
    extra = 0
    fields = ["title", "file", "position", "media_type", "size"]
    readonly_fields = ["media_type", "size"]


@admin.register(Edition)
class EditionAdmin(WorkflowViews, HistoryViews):
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
        (
            _("Text"),
            {"fields": ["language", "title", "slug", "summary", "body", "figures_snapshot"]},
        ),
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
        state = workflow.display_state(obj, superseded=obj.has_newer_live)
        label: object = state.label
        if state == workflow.DisplayState.SCHEDULED:
            label = _("Scheduled for %(time)s") % {
                "time": timezone.localtime(obj.go_live_at).strftime("%Y-%m-%d %H:%M")
            }
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
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
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
        actions.save_edit(
            obj,
            by=request.user,
            created=not change,
            seen_version=form.cleaned_data.get("lock_version"),
            image_changed="image" in form.changed_data,
        )
        request.edition_saved = True

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            actions.record_attachments_edit(form.instance, by=request.user)
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
        return allow_the_editor(
            super().render_change_form(request, context, add, change, form_url, obj)
        )
