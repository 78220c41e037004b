"""The admin's history pages, readable: who, when, what happened and what changed, in words.

django-simple-history keeps every revision and diffs consecutive ones; its default page shows
raw values (the body's HTML, "Deleted user (pk=None)" for an empty user field, choice keys).
`ReadableHistoryAdmin` keeps the library's view, pagination and record context helper, and
only decides what each revision says (`describe_revisions`, also used for an incident's
casualties).
"""

import datetime
import difflib
import re
from collections.abc import Set
from html import unescape
from typing import Any, ClassVar, cast

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from config.admin_changelists import SafeChangeListMixin

NOBODY = "—"
HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def person(user) -> str:
    """A user as colleagues know them; a revision saved without one came from the system."""
    if user is None:
        return str(_("System (no signed-in user)"))
    return user.get_full_name() or user.get_username()


def words_changed(old: str, new: str) -> str:
    """A long text's change in words: "text changed: 12 words added, 3 words removed"."""
    before, after = old.split(), new.split()
    added = removed = 0
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(
        a=before, b=after, autojunk=False
    ).get_opcodes():
        if tag in ("delete", "replace"):
            removed += a2 - a1
        if tag in ("insert", "replace"):
            added += b2 - b1
    return str(_("text changed: %(added)s, %(removed)s")) % {
        "added": ngettext("%(count)s word added", "%(count)s words added", added)
        % {"count": added},
        "removed": ngettext("%(count)s word removed", "%(count)s words removed", removed)
        % {"count": removed},
    }


def m2m_rows_accessor(history_model, field_name: str) -> str:
    """The reverse accessor from a revision to its rows of a many-to-many field (what
    `prefetch_related` takes; the library's own `revision.<field>` is not prefetchable)."""
    rows_model = getattr(history_model, field_name).model
    return next(
        relation.get_accessor_name()
        for relation in history_model._meta.related_objects
        if relation.related_model is rows_model
    )


def changes_between(newer, older) -> ModelDelta:
    """What differs between two revisions: the library's diff, which compares only fields an
    editor can edit, plus the fields the code sets (a state, a publication time)."""
    m2m_fields = [field.name for field in newer._history_m2m_fields]
    delta = newer.diff_against(older, excluded_fields=m2m_fields, foreign_keys_are_objs=True)
    changes = list(delta.changes)
    for field in newer._history_m2m_fields:
        # From the rows prefetched with the revisions (the library queries each pair).
        related = get_m2m_reverse_field_name(field)
        rows = m2m_rows_accessor(type(newer), field.name)
        old, new = (
            sorted(getattr(row, f"{related}_id") for row in getattr(record, rows).all())
            for record in (older, newer)
        )
        if old != new:
            changes.append(
                ModelChange(
                    field.name, [{related: pk} for pk in old], [{related: pk} for pk in new]
                )
            )
    for field in newer.instance_type._meta.concrete_fields:
        if field.editable or field.name in delta.changed_fields:
            continue
        before, after = getattr(older, field.attname, None), getattr(newer, field.attname, None)
        if before != after:
            changes.append(ModelChange(field.name, before, after))
    changes.sort(key=lambda change: change.field)
    return ModelDelta(changes, [change.field for change in changes], older, newer)


def shown_value(record, name: str) -> str:
    """A column of the history table: a choice's label, not its key."""
    field = record.instance_type._meta.get_field(name)
    value = getattr(record, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


def _words(html) -> str:
    """The text of rich text, tags counting as spaces (paragraphs do not run together)."""
    return unescape(re.sub(r"<[^>]+>", " ", str(html or "")))


class ReadableChanges(HistoricalRecordContextHelper):
    """Formats one revision's changes: labels for choices, names for people and related
    records, yes/no for booleans, a word count for long texts, nothing for bookkeeping."""

    def __init__(self, model, record, *, hidden: Set[str], long_texts: Set[str]):
        super().__init__(model, record)
        self.hidden = hidden
        self.long_texts = long_texts

    def context_for_delta_changes(self, delta) -> list[dict[str, Any]]:
        shown = [change for change in delta.changes if change.field not in self.hidden]
        context = []
        for change in shown:
            field = self.model._meta.get_field(change.field)
            label = capfirst(field.verbose_name)
            if change.field in self.long_texts:
                text = words_changed(_words(change.old), _words(change.new))
                context.append({"field": label, "summary": text})
                continue
            formatted = self.format_delta_change(change)
            context.append({"field": label, "old": formatted.old, "new": formatted.new})
        return context

    def stringify_delta_change_values(self, change: ModelChange, old: Any, new: Any):
        """Whole values, escaped; only a very long one is cut, at its end (the library cuts
        the middle of both, "land[77 chars]reas")."""

        def shown(value: Any) -> str:
            text = str(value)
            return conditional_escape(text if len(text) <= 300 else text[:299] + "…")

        return shown(old), shown(new)

    def prepare_delta_change_value(self, change: ModelChange, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            # Rows of the through table: each holds the related object (or its id, or a
            # DeletedObject when it is gone).
            items = [row[get_m2m_reverse_field_name(field)] for row in value]
            ids = [item for item in items if not isinstance(item, models.Model | DeletedObject)]
            names = [str(item) for item in items if isinstance(item, models.Model)]
            related = cast(type[models.Model], field.related_model)
            names += [str(obj) for obj in related._default_manager.filter(pk__in=ids)]
            names += [str(_("(removed)")) for item in items if isinstance(item, DeletedObject)]
            return ", ".join(sorted(names)) or NOBODY
        if isinstance(value, DeletedObject):
            return NOBODY if value.pk is None else str(_("(removed)"))
        if value is None or value == "":
            return NOBODY
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, get_user_model()):
            return person(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        return value


class ReadableHistoryAdmin(SafeChangeListMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin with a history page people can read.

    `history_hidden_fields`: bookkeeping not worth a line (timestamps, counters, caches).
    (django-simple-history's own formatting hook, `get_historical_record_context_helper`,
    is not enough: its diff leaves out the fields the code sets, such as a state.)
    `history_long_texts`: fields summarised as words added and removed, never shown raw.
    `history_reason_label`: turns a revision's stored change reason into words.
    """

    history_hidden_fields: ClassVar[set[str]] = set()
    history_long_texts: ClassVar[set[str]] = set()

    def history_reason_label(self, reason: str) -> str:
        return reason

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        history_model = history_manager.model
        rows = [m2m_rows_accessor(history_model, f.name) for f in history_model._history_m2m_fields]
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return queryset.prefetch_related(*rows)

    def history_view(self, request, object_id, extra_context=None):
        columns = [
            capfirst(self.model._meta.get_field(name).verbose_name)
            for name in self.get_history_list_display(request)
        ]
        return super().history_view(
            request, object_id, {**(extra_context or {}), "history_columns": columns}
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        describe_revisions(
            list(historical_records),
            self.model,
            hidden=self.history_hidden_fields,
            long_texts=self.history_long_texts,
            reason_label=self.history_reason_label,
            columns=self.get_history_list_display(request),
        )


def describe_revisions(
    records: list,
    model,
    *,
    hidden: Set[str] = frozenset(),
    long_texts: Set[str] = frozenset(),
    reason_label=lambda reason: reason,
    columns=(),
    summary=(),
    one_record: bool = True,
) -> list:
    """Give each revision (newest first) what the history page shows: `who`, `what`
    happened, `history_delta_changes` against the revision before it (for the oldest one
    given, the one before is fetched; with `one_record=False`, revisions of several records
    are mixed and each is compared with its own record's previous one), `columns`, and a
    `summary` of the named fields."""
    # The revision before each one, from the list itself where it is there (no query).
    previous: dict = {}
    latest_older: dict = {}
    for record in reversed(records):  # oldest first
        key = None if one_record else record.instance_type._meta.pk.value_from_object(record)
        previous[record.history_id] = latest_older.get(key)
        latest_older[key] = record
    for record in records:
        before = previous[record.history_id]
        if before is None and record.history_type != "+":
            before = record.prev_record
        if before is not None and record.history_type != "-":
            helper = ReadableChanges(model, record, hidden=hidden, long_texts=long_texts)
            record.history_delta_changes = helper.context_for_delta_changes(
                changes_between(record, before)
            )
        record.who = person(record.history_user)
        reason = record.history_change_reason
        record.what = (
            reason_label(reason)
            if reason
            else HISTORY_TYPES.get(record.history_type, record.history_type)
        )
        record.columns = [shown_value(record, name) for name in columns]
        record.summary = ", ".join(shown_value(record, name) for name in summary)
    return records
