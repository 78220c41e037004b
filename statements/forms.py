"""Admin forms for statements: the edit form with optimistic locking, uploads and workflow."""

import re
from typing import cast

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements import citations
from statements.models import (
    TEXT_FIELDS,
    Attachment,
    Edition,
    Organisation,
    Statement,
)
from statements.richtext import sanitize_html
from statements.uploads import clean_image, recognise_attachment
from victims.models import Snapshot

_BETWEEN_TAGS = re.compile(r">\s+<")


def _body_changed(initial, data) -> bool:
    """Whether the body changed, judged on what the sanitiser would store."""

    def stored(value) -> str:
        return _BETWEEN_TAGS.sub("><", sanitize_html(value or ""))

    return stored(initial) != stored(data)


def image_field(label) -> forms.FileField:
    """An optional image upload in the admin's widget; uploads.clean_image checks it."""
    return forms.FileField(
        label=label,
        required=False,
        widget=AdminFileWidget(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP; at most 10 MB and 40 megapixels."),
    )


def snapshot_label(snapshot: Snapshot) -> str:
    label = _("Snapshot %(number)s: %(start)s – %(end)s (taken %(taken)s)") % {
        "number": snapshot.number,
        "start": snapshot.period_from.isoformat(),
        "end": snapshot.period_to.isoformat(),
        "taken": timezone.localtime(snapshot.taken_at).strftime("%Y-%m-%d %H:%M"),
    }
    following = getattr(snapshot, "superseded_by", None)
    if following is not None:
        label += " " + _("— superseded by snapshot %(number)s") % {"number": following.number}
    return label


class StatementForm(forms.ModelForm):
    """The edit form. `lock_version` travels with the form: if someone else saved the edition
    after this form was opened, the save is refused and the editor's text stays in the form."""

    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A plain file field: uploads.clean_image recognises the image and names each problem
    # (Django's ImageField would answer every one with the same generic message).
    image = image_field(_("Image"))

    class Meta:
        model = Edition
        fields = [*TEXT_FIELDS, "lock_version"]  # the text, and the version seen
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The editor may write the same text in another form (attribute order, spacing):
        # only a difference in what would be stored counts as a change.
        if "body" in self.fields:  # not on a read-only page
            self.fields["body"].has_changed = _body_changed  # type: ignore[method-assign]
        if self.instance.pk:
            self.fields["language"].disabled = True
            self.fields["language"].initial = self.instance.document.language
            self.fields["lock_version"].initial = self.instance.lock_version
        self._set_up_figures()

    def _set_up_figures(self) -> None:
        """The snapshot field lists snapshots without their tables; a translation's is its
        original's, shown but not chosen. The body's help lists the figure placeholders."""
        if "figures_snapshot" in self.fields:
            field = cast(forms.ModelChoiceField, self.fields["figures_snapshot"])
            field.queryset = Snapshot.objects.with_successor().order_by("-number")
            field.label_from_instance = snapshot_label  # type: ignore[method-assign, assignment]
            if self.original_snapshot_source() is not None:
                field.disabled = True
                field.help_text = _("A translation cites the snapshot of its original.")
        if "body" in self.fields:
            self.fields["body"].help_text = _(
                "Figures from the cited register snapshot (below): write a placeholder, "
                "e.g. [[killed.civilian]]; readers see the snapshot's figure in the "
                "statement's language. The placeholders are: %(names)s."
            ) % {"names": citations.valid_names()}

    def original_snapshot_source(self) -> "Edition | None":
        """For a translation: the original's latest edition, whose snapshot it cites."""
        if not self.instance.pk:
            return None
        made_from = self.instance.document.translated_from  # the original's edition
        if made_from is None:
            return None
        return made_from.document.editions.order_by("-number").first()

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and "image" in self.changed_data:
            return clean_image(image)
        return image

    def clean(self):
        cleaned = super().clean() or {}
        if self.instance.pk:
            self._check_not_changed_meanwhile(cleaned.get("lock_version"))
        if "figures_snapshot" in self.fields:
            original = self.original_snapshot_source()
            if original is not None:
                cleaned["figures_snapshot"] = original.figures_snapshot
            self._check_placeholders(cleaned.get("body") or "", cleaned.get("figures_snapshot"))
        return cleaned

    def _check_placeholders(self, body: str, snapshot) -> None:
        """Placeholders only in the body, each one a known figure the cited snapshot shows;
        a snapshot newly chosen must not be one that was superseded."""
        cleaned = self.cleaned_data
        plain = {name: cleaned.get(name) or "" for name in ("title", "summary", "slug")}
        for field, error in citations.in_plain_fields(**plain).items():
            self.add_error(field, error)
        if snapshot is not None:
            snapshot = Snapshot.objects.with_successor().get(pk=snapshot.pk)
            following = getattr(snapshot, "superseded_by", None)
            if following is not None and "figures_snapshot" in self.changed_data:
                self.add_error(
                    "figures_snapshot",
                    _("Snapshot %(old)s was superseded by snapshot %(new)s: cite that one.")
                    % {"old": snapshot.number, "new": following.number},
                )
        figures = snapshot.figures if snapshot else None
        for field, error in citations.problems(
            body, figures, snapshot.number if snapshot else None
        ):
            self.add_error(field if field in self.fields else "body", error)

    def _check_not_changed_meanwhile(self, seen_version) -> None:
        current = (
            Edition.objects.select_for_update(of=("self",))
            .select_related("last_edited_by")
            .get(pk=self.instance.pk)
        )
        if not current.is_editable:
            raise ValidationError(
                _(
                    "This edition was %(state)s while you were editing it and can no longer "
                    "be changed. Your text has not been saved and is still in the form below: "
                    "copy it, then create a new edition from the statement's page and apply "
                    "your changes there."
                )
                % {"state": current.get_state_display().lower()},
                code="not_editable",
            )
        if seen_version is None or int(seen_version) != current.lock_version:
            who = current.last_edited_by or _("someone else")
            when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(
                _(
                    "%(who)s saved this statement at %(when)s, after you opened it. Your "
                    "changes have not been saved and are still in the form below: copy them, "
                    "reload the page to see the other changes, and apply yours again."
                )
                % {"who": who, "when": when},
                code="edit_conflict",
            )

    def save(self, commit=True):
        statement = super().save(commit=False)
        if not statement.pk:
            statement.document = Statement.objects.create(language=self.cleaned_data["language"])
        return super().save(commit) if commit else statement

    def _post_clean(self):
        # The slug check in Statement.clean() needs the language of a statement being created.
        if not self.instance.pk and "language" in self.cleaned_data:
            self.instance.document = Statement(language=self.cleaned_data["language"])
        super()._post_clean()  # type: ignore[misc]  # ModelForm's step, not in the stubs


class OrganisationForm(forms.ModelForm):
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = image_field(_("Logo"))

    class Meta:
        model = Organisation
        fields = [
            "name_en",
            "name_az",
            "name_ru",
            "short_name_en",
            "short_name_az",
            "short_name_ru",
            "logo",
            "url",
            "is_default",
            "press_email",
            "press_phone",
            "address_en",
            "address_az",
            "address_ru",
            "office_hours_en",
            "office_hours_az",
            "office_hours_ru",
        ]
        widgets = {
            f"address_{code}": forms.Textarea(attrs={"rows": 3}) for code in ("en", "az", "ru")
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and "logo" in self.changed_data:
            return clean_image(logo)
        return logo


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file", "position"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            kind = recognise_attachment(upload)
            self.instance.media_type = kind.media_type
            self.instance.size = upload.size
        return upload


class WorkflowForm(forms.Form):
    """A confirmation page's form. It carries the edition's version as the page showed it,
    so that an edition saved by someone else meanwhile is not acted on unseen."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CommentForm(WorkflowForm):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, comment_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required


class PublishForm(CommentForm):
    """Publish now or at a time; for a later edition, minor change or change note."""

    go_live_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now."),
    )
    minor_change = forms.BooleanField(label=_("Minor change (no public note)"), required=False)
    change_note = forms.CharField(
        label=_("Public change note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    first_published_at = forms.DateTimeField(
        label=_("First published elsewhere at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Only for a statement that was already public elsewhere, e.g. moved in from an "
            "archive: readers see this as its first publication. Leave empty otherwise."
        ),
    )

    confirm_figures = forms.BooleanField(
        label=_("I have checked the figures marked as contradicting the snapshot"),
        required=True,
        help_text=_("The text gives a number that differs from the cited snapshot's figure."),
        error_messages={
            "required": _(
                "Tick the box to confirm that you have checked the figures marked as "
                "contradicting the snapshot, or go back and correct the text."
            )
        },
    )

    def __init__(
        self,
        *args,
        schedule: bool = False,
        later_edition: bool = False,
        first_publication: bool = False,
        figures_to_confirm: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["go_live_at"].required = schedule
        if not figures_to_confirm:
            del self.fields["confirm_figures"]
        if not later_edition:
            del self.fields["minor_change"]
            del self.fields["change_note"]
        if not first_publication:
            del self.fields["first_published_at"]

    def clean_first_published_at(self):
        value = self.cleaned_data.get("first_published_at")
        if value and value >= timezone.now():
            raise ValidationError(
                _("The first publication elsewhere must be in the past."), code="future"
            )
        return value

    def clean_go_live_at(self):
        value = self.cleaned_data.get("go_live_at")
        if value and value <= timezone.now() and self.fields["go_live_at"].required:
            raise ValidationError(_("Choose a time in the future."), code="past")
        return value

    def clean(self):
        cleaned = super().clean() or {}
        note = (cleaned.get("change_note") or "").strip()
        if "change_note" in self.fields and not cleaned.get("minor_change") and not note:
            self.add_error(
                "change_note",
                _("A major change needs a change note for the public; or mark it minor."),
            )
        return cleaned


class ExplanationForm(WorkflowForm):
    explanation = forms.CharField(
        label=_("Explanation for the public"), widget=forms.Textarea(attrs={"rows": 4})
    )


def _replacement_label(obj: Statement) -> str:
    return f"#{obj.pk} {obj.editions.published().first()}"


class UnpublishForm(ExplanationForm):
    replacement = forms.ModelChoiceField(
        label=_("Replacement statement"),
        queryset=Statement.objects.none(),
        required=False,
        help_text=_("If set, the old address redirects there instead of answering 410 Gone."),
    )

    def __init__(self, *args, exclude_document=None, **kwargs):
        super().__init__(*args, **kwargs)
        documents = Statement.objects.filter(editions__in=Edition.objects.published()).distinct()
        if exclude_document is not None:
            documents = documents.exclude(pk=exclude_document)
        replacement = cast(forms.ModelChoiceField, self.fields["replacement"])
        replacement.queryset = documents
        replacement.label_from_instance = _replacement_label  # type: ignore[method-assign]


class ChangeNoteForm(forms.Form):
    change_note = forms.CharField(
        label=_("Change note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
