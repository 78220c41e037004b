"""The register in the admin: incidents with their casualties inline, duplicate warnings,
history with restore, import with a preview, and streamed export of the filtered list."""

from datetime import datetime, timedelta
from typing import ClassVar, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin

from config.admin_changelists import SafeChangeListMixin
from config.history import ReadableHistoryAdmin, describe_revisions
from statements.citations import format_figure
from victims import exporting, import_files, importing, snapshots
from victims.choices import Outcome, Status, Verification
from victims.forms import CasualtyForm, CasualtyFormSet, ImportForm, IncidentForm
from victims.models import Area, Casualty, DeviceModel, Incident, PartnerKey, Snapshot

VERIFY_PERMISSION = "victims.verify_incident"
IMPORT_PERMISSION = "victims.import_incident"
INTERNAL_EXPORT_PERMISSION = "victims.export_internal_fields"


class CasualtyInline(admin.TabularInline):
    model = Casualty
    form = CasualtyForm
    formset = CasualtyFormSet
    extra = 1


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [
            (str(d.year), str(d.year))
            for d in Incident.objects.dates("occurred_on", "year", "DESC")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) == 4:
            return queryset.filter(occurred_on__year=int(value))
        return queryset


class CasualtyFieldFilter(admin.SimpleListFilter):
    """Incidents with at least one casualty of a given value of a casualty field."""

    field: str
    vocabulary: type[models.Choices]  # not `choices`: SimpleListFilter has such a method

    def lookups(self, request, model_admin):
        return self.vocabulary.choices

    def queryset(self, request, queryset):
        if self.value() in self.vocabulary.values:
            return queryset.filter(**{f"casualties__{self.field}": self.value()}).distinct()
        return queryset


class OutcomeFilter(CasualtyFieldFilter):
    title = _("casualty outcome")
    parameter_name = field = "outcome"
    vocabulary = Outcome


class StatusFilter(CasualtyFieldFilter):
    title = _("casualty status")
    parameter_name = field = "status"
    vocabulary = Status


@admin.register(Incident)
class IncidentAdmin(ReadableHistoryAdmin):
    form = IncidentForm
    inlines = [CasualtyInline]
    change_list_template = "admin/victims/incident/change_list.html"
    change_form_template = "admin/victims/incident/change_form.html"
    object_history_template = "admin/victims/incident/object_history.html"
    list_display = [
        "reference",
        "occurred_on",
        "area",
        "device_category",
        "killed_count",
        "injured_count",
        "verification",
    ]
    list_filter = [
        YearFilter,
        "area",
        "device_category",
        OutcomeFilter,
        StatusFilter,
        "verification",
    ]
    list_select_related = ["area"]
    date_hierarchy = "occurred_on"
    # An incident by its reference, or by its district's name in any language ("Lachin").
    search_fields = [
        "reference",
        "area__code",
        "area__name",
        "area__name_en",
        "area__name_az",
        "area__name_ru",
    ]
    readonly_fields = ["reference"]
    history_hidden_fields: ClassVar[set[str]] = {"created_at", "updated_at"}
    fieldsets = [
        (None, {"fields": ["reference", "occurred_on", "date_precision", "area", "place_type"]}),
        (
            _("Context"),
            {
                "fields": [
                    "outside_contact_line",
                    "inside_mapped_area",
                    "device_category",
                    "device_model",
                    "production_year",
                    "activity",
                ]
            },
        ),
        (
            _("Source (internal: never published)"),
            {
                "fields": [
                    "source_type",
                    "source_reference",
                    "internal_note",
                    "verification",
                    "confirm_not_duplicate",
                ]
            },
        ),
    ]

    def history_reason_label(self, reason: str) -> str:
        if reason.startswith("restore:"):
            when = datetime.fromisoformat(reason.removeprefix("restore:"))
            return _("Restored the revision of %(date)s") % {
                "date": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
            }
        return reason

    def history_view(self, request, object_id, extra_context=None):
        """The incident's revisions, then its casualties' (added, changed, removed)."""
        casualties = (
            Casualty.history.filter(incident_id=object_id)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:500]
        )
        revisions = describe_revisions(
            list(casualties),
            Casualty,
            hidden={"incident"},
            summary=("outcome", "status", "sex", "age_group"),
            one_record=False,
        )
        return super().history_view(
            request, object_id, {**(extra_context or {}), "casualty_revisions": revisions}
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                killed=Count("casualties", filter=Q(casualties__outcome=Outcome.KILLED)),
                injured=Count("casualties", filter=Q(casualties__outcome=Outcome.INJURED)),
            )
        )

    @admin.display(description=_("killed"), ordering="killed")
    def killed_count(self, obj):
        return obj.killed

    @admin.display(description=_("injured"), ordering="injured")
    def injured_count(self, obj):
        return obj.injured

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.has_perm(VERIFY_PERMISSION):
            # Registrars record reports; verifying, contesting and discounting is for reviewers.
            field = form.base_fields.get("verification")
            if field is not None:
                current = obj.verification if obj else Verification.REPORTED
                cast(forms.ChoiceField, field).choices = [
                    (v, label) for v, label in Verification.choices if v == current
                ]
        return form

    # --- import and export ------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="victims_incident_import"),
            path(
                "export/<str:file_format>/", wrap(self.export_view), name="victims_incident_export"
            ),
            path(
                "<int:pk>/restore/<int:history_id>/",
                wrap(self.restore_view),
                name="victims_incident_restore",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload, see every problem or what would be imported, then import all of it."""
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied(
                _("Importing incidents is for register reviewers (the Register reviewers group).")
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import incidents"),
            "columns": importing.column_help(),
        }
        import_files.sweep()
        if request.method == "POST" and "stored" in request.POST:
            stored = request.POST["stored"]
            content = import_files.read(stored)
            if content is None:
                messages.error(request, _("That upload has expired: upload the file again."))
                return HttpResponseRedirect(reverse("admin:victims_incident_import"))
            result = importing.check(stored, content)
            if result.problems:
                messages.error(request, _("The file has problems; nothing was imported."))
            else:
                incidents = importing.commit(result)
                import_files.discard(stored)
                messages.success(
                    request,
                    _("Imported %(incidents)s incidents with %(casualties)s casualties.")
                    % {"incidents": len(incidents), "casualties": result.casualties},
                )
                return HttpResponseRedirect(reverse("admin:victims_incident_changelist"))
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and "stored" not in request.POST and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            result = importing.check(upload.name, content)
            context["result"] = result
            if not result.problems:
                suffix = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
                context["stored"] = import_files.keep(content, suffix)
        context["form"] = form
        return TemplateResponse(request, "admin/victims/incident/import.html", context)

    def export_view(self, request, file_format: str):
        """The changelist as filtered, streamed; internal fields only with the permission."""
        if not self.has_view_permission(request):
            raise PermissionDenied(_("You do not have permission to view incidents."))
        if file_format not in ("csv", "xlsx"):
            raise PermissionDenied(_("Incidents can be exported as CSV or XLSX only."))
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return self.refuse_bad_filters(request, reverse("admin:victims_incident_changelist"))
        incidents = changelist.get_queryset(request)
        internal = request.user.has_perm(INTERNAL_EXPORT_PERMISSION)
        rows = exporting.export_rows(
            Incident.objects.filter(pk__in=incidents.values("pk")), internal=internal
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response: HttpResponseBase
        if file_format == "csv":
            response = StreamingHttpResponse(
                exporting.csv_stream(rows), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                exporting.xlsx_bytes(rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.{file_format}"'
        return response

    def restore_view(self, request, pk: int, history_id: int):
        """Restore an incident and its casualties as they were at an old revision."""
        incident = get_object_or_404(Incident, pk=pk)
        record = get_object_or_404(incident.history, history_id=history_id)
        if request.method != "POST":
            raise PermissionDenied(_("This address only answers the button on the history page."))
        if not self.has_change_permission(request, incident):
            raise PermissionDenied(_("You do not have permission to change incidents."))
        old = record.instance
        with transaction.atomic():
            # A version lasts until the incident's next revision; casualties saved with it
            # (the inline rows are saved just after the incident) belong to it.
            following = (
                incident.history.filter(history_date__gt=record.history_date)
                .exclude(history_id=record.history_id)
                .order_by("history_date")
                .first()
            )
            moment = (
                following.history_date - timedelta(microseconds=1) if following else timezone.now()
            )
            for field in Incident._meta.concrete_fields:
                if field.name not in ("id", "reference", "created_at", "updated_at"):
                    setattr(incident, field.attname, getattr(old, field.attname))
            incident._change_reason = f"restore:{record.history_date.isoformat()}"
            incident.save()
            as_of = Casualty.history.as_of(moment).filter(incident_id=incident.pk)
            kept = {casualty.pk: casualty for casualty in as_of}
            for casualty in incident.casualties.all():
                if casualty.pk not in kept:
                    casualty.delete()
            for old_casualty in kept.values():
                current = Casualty.objects.filter(pk=old_casualty.pk).first() or Casualty(
                    pk=old_casualty.pk, incident=incident
                )
                for name in ("outcome", "status", "sex", "age_group", "injury", "displacement"):
                    setattr(current, name, getattr(old_casualty, name))
                current.save()
        messages.success(
            request,
            _("The incident was restored as it was on %(date)s.")
            % {"date": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")},
        )
        return HttpResponseRedirect(reverse("admin:victims_incident_change", args=[pk]))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perm(IMPORT_PERMISSION),
            "export_query": request.GET.urlencode(),
        }
        return super().changelist_view(request, extra_context)


@admin.register(Area)
class AreaAdmin(SafeChangeListMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "name_az", "name_ru", "level", "kind", "parent"]
    # A district by any of its names: "Lachin" finds Laçın.
    search_fields = ["code", "name", "name_en", "name_az", "name_ru"]
    list_filter = ["level"]
    fields = ["code", "name", "name_en", "name_az", "name_ru", "level", "kind", "parent"]


@admin.register(DeviceModel)
class DeviceModelAdmin(SafeChangeListMixin, admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(PartnerKey)
class PartnerKeyAdmin(SafeChangeListMixin, APIKeyModelAdmin):
    """Keys are shown once, when created; afterwards only their prefix."""

    # The library's columns and search, and the partner's. (Its stubs fix their length.)
    list_display = (*APIKeyModelAdmin.list_display, "partner", "last_used_at")  # type: ignore[assignment]
    search_fields = (*APIKeyModelAdmin.search_fields, "partner")  # type: ignore[assignment]


class SnapshotForm(forms.ModelForm):
    """Taking a snapshot: its period, and what it supersedes, if anything, and why."""

    class Meta:
        model = Snapshot
        fields = ["period_from", "period_to", "supersedes", "reason"]
        widgets = {
            "period_from": forms.DateInput(attrs={"type": "date"}),
            "period_to": forms.DateInput(attrs={"type": "date"}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "period_from": _(
                "The first day of the period, e.g. the end of the conflict. Totals by outcome "
                "and status are exact only when the period starts with the register."
            ),
            "period_to": _("The last day of the period: today or earlier."),
            "supersedes": _("Only to replace a mistaken snapshot, which stays public."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "supersedes" not in self.fields:  # a snapshot's own page: nothing to choose
            return
        superseded = Snapshot.objects.filter(supersedes__isnull=False).values("supersedes")
        field = self.fields["supersedes"]
        field.queryset = Snapshot.objects.light().exclude(pk__in=superseded)  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end:
            try:
                snapshots.check_period(start, end)
            except snapshots.SnapshotError as error:
                self.add_error("period_to", str(error))
        if cleaned.get("supersedes") and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the snapshot it supersedes was wrong."))
        return cleaned

    def _post_clean(self):
        # The snapshot is made by snapshots.take(), not from this form's instance.
        pass


@admin.register(Snapshot)
class SnapshotAdmin(SafeChangeListMixin, admin.ModelAdmin):
    """Snapshots are taken here and then only read: nobody may change or delete one."""

    form = SnapshotForm
    list_display = ["__str__", "period_from", "period_to", "taken_at", "taken_by", "superseded"]
    list_select_related = ["taken_by"]
    readonly_fields = [
        "public_page",
        "period",
        "taken",
        "headline",
        "sha256",
        "supersedes",
        "reason",
    ]

    def get_queryset(self, request):
        return Snapshot.objects.light().prefetch_related("superseded_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["period_from", "period_to", "supersedes", "reason"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("superseded by"))
    def superseded(self, obj):
        following = getattr(obj, "superseded_by", None)
        return str(following) if following else ""

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())

    @admin.display(description=_("period"))
    def period(self, obj):
        return f"{obj.period_from:%Y-%m-%d} – {obj.period_to:%Y-%m-%d}"

    @admin.display(description=_("taken"))
    def taken(self, obj):
        when = timezone.localtime(obj.taken_at).strftime("%Y-%m-%d %H:%M")
        who = obj.taken_by or _("a command")
        return f"{when}, {who}"

    @admin.display(description=_("figures to cite"))
    def headline(self, obj):
        rows = format_html_join(
            "",
            "<tr><th scope='row'><code>[[{}]]</code></th><td>{}</td><td>{}</td></tr>",
            (
                (
                    name,
                    description,
                    format_figure(name, obj.figures.get(name), get_language() or "en"),
                )
                for name, description in snapshots.PLACEHOLDERS.items()
            ),
        )
        return format_html('<table class="snapshot-figures">{}</table>', rows)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "supersedes" and field is not None:
            field.widget.can_add_related = False  # a snapshot is taken here, not in a pop-up
            field.widget.can_change_related = False
            field.widget.can_view_related = False
        return field

    def save_model(self, request, obj, form, change):
        taken = snapshots.take(
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
            supersedes=form.cleaned_data.get("supersedes"),
            reason=form.cleaned_data.get("reason") or "",
            by=request.user,
        )
        obj.pk, obj.number = taken.pk, taken.number
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass
