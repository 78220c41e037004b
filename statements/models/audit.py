"""The audit trail: what was done to an edition, by whom and when, in words."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from statements.models.editions import Edition
from statements.models.statements import Statement


class AuditAction(models.TextChoices):
    """What an audit row records. The row stores the key; the label is what the action did, in
    the past tense, as editors read it in the audit trail and the history (each in their own
    language)."""

    CREATE = "create", _("created")
    EDIT = "edit", _("edited")
    SUBMIT = "submit", _("submitted for review")
    RETURN_TO_DRAFT = "return_to_draft", _("returned to draft")
    PUBLISH = "publish", _("published")
    SCHEDULE = "schedule", _("scheduled")
    UNSCHEDULE = "unschedule", _("unscheduled")
    WITHDRAW = "withdraw", _("withdrawn")
    UNPUBLISH = "unpublish", _("unpublished")
    NEW_EDITION = "new_edition", _("new edition started")
    CREATE_TRANSLATION = "create_translation", _("translation started")
    SHARE_LINK_CREATED = "share_link_created", _("share link created")
    SHARE_LINKS_REVOKED = "share_links_revoked", _("share links revoked")
    MARK_TRANSLATION_CURRENT = "mark_translation_current", _("translation marked up to date")
    RESTORE = "restore", _("old revision restored")
    CORRECT_CHANGE_NOTE = "correct_change_note", _("change note corrected")


def action_label(action: str) -> str:
    """An audit action in words, capitalised ("Submitted for review")."""
    if action not in AuditAction.values:
        return action
    label = str(AuditAction(action).label)
    return label[:1].upper() + label[1:]


class StatementEvent(models.Model):
    """The audit trail: every change of state and every editorial act, with who and when."""

    document = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("statement record"),
    )
    edition = models.ForeignKey(
        Edition,
        on_delete=models.SET_NULL,
        null=True,
        related_name="events",
        verbose_name=_("statement"),
    )
    edition_number = models.PositiveIntegerField(_("edition"), null=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_action_is_known"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.action_label} #{self.document_id}, {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
        )

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @classmethod
    def record(cls, statement: Edition, actor, action: str, from_state="", to_state="", comment=""):
        return cls.objects.create(
            document_id=statement.document_id,
            edition=statement,
            edition_number=statement.number,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            comment=comment,
        )
