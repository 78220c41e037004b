"""Which workflow actions a person may take on an edition now, and why not.

One table, `ACTIONS`: for each action its label, the permission it needs, whether it asks for
a confirmation page first, and the state the edition must be in. The admin shows a button for
each action `available_actions` returns, and answers an action it refuses with the reason
`refusal` gives ("You cannot publish your own edition: four-eyes rule"). The operations on the
model (`Edition.submit`, `.publish`, ...) still check the state themselves, inside their
transaction, so that two people acting at once cannot both succeed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from statements.models import EDIT_PERMISSION, PUBLISH_PERMISSION, Edition
from statements.querysets import State


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    permission: str
    # True: the action opens its own page (a comment, a time, an explanation) before it runs.
    confirm: bool
    # Whether the edition is in a state the action applies to, and the reason when it is not.
    applies: Callable[[Edition], bool]
    not_now: str


def _is_live(edition: Edition) -> bool:
    live = edition.live_edition() if edition.go_live_at else None
    return live is not None and live.pk == edition.pk


def _can_start_new_edition(edition: Edition) -> bool:
    return (
        edition.state == State.PUBLISHED
        and edition.has_gone_live
        and not edition.document.editions.filter(number__gt=edition.number).exists()
        and not edition.is_superseded()
    )


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action(
            "submit",
            _("Submit for review"),
            EDIT_PERMISSION,
            True,
            lambda e: e.state == State.DRAFT,
            _("Only a draft can be submitted for review; this edition is %(state)s."),
        ),
        Action(
            "publish",
            _("Approve and publish"),
            PUBLISH_PERMISSION,
            True,
            lambda e: e.state == State.IN_REVIEW,
            _("Only an edition in review can be published; this edition is %(state)s."),
        ),
        Action(
            "schedule",
            _("Schedule"),
            PUBLISH_PERMISSION,
            True,
            lambda e: e.state == State.IN_REVIEW,
            _("Only an edition in review can be scheduled; this edition is %(state)s."),
        ),
        Action(
            "return_to_draft",
            _("Return to draft"),
            PUBLISH_PERMISSION,
            True,
            lambda e: e.state == State.IN_REVIEW,
            _("Only an edition in review can be returned to draft; this edition is %(state)s."),
        ),
        Action(
            "unschedule",
            _("Unschedule"),
            PUBLISH_PERMISSION,
            True,
            lambda e: e.is_scheduled,
            _("Only an edition scheduled for a future time can be unscheduled."),
        ),
        Action(
            "withdraw",
            _("Withdraw"),
            PUBLISH_PERMISSION,
            True,
            lambda e: e.state == State.PUBLISHED and _is_live(e),
            _("Only the published edition the public sees now can be withdrawn."),
        ),
        Action(
            "unpublish",
            _("Unpublish"),
            PUBLISH_PERMISSION,
            True,
            _is_live,
            _("Only the edition the public sees now can be unpublished."),
        ),
        Action(
            "change_note",
            _("Correct the change note"),
            PUBLISH_PERMISSION,
            True,
            lambda e: bool(e.change_note) and e.state != State.DRAFT,
            _("This edition has no public change note to correct."),
        ),
        Action(
            "new_edition",
            _("Create a new edition to edit"),
            EDIT_PERMISSION,
            False,
            _can_start_new_edition,
            _(
                "A new edition starts from the published edition the public sees, when no "
                "other edition is open."
            ),
        ),
        Action(
            "share_link",
            _("Create a share link"),
            EDIT_PERMISSION,
            False,
            lambda e: e.is_editable,
            _("Share links are for drafts and editions in review."),
        ),
        Action(
            "revoke_share_links",
            _("Revoke all share links"),
            EDIT_PERMISSION,
            False,
            lambda e: e.is_editable,
            _("Share links are for drafts and editions in review."),
        ),
        Action(
            "translate",
            _("Add translation"),
            EDIT_PERMISSION,
            False,
            lambda e: True,
            "",
        ),
        Action(
            "translation_current",
            _("Mark the translation as up to date"),
            PUBLISH_PERMISSION,
            False,
            lambda e: e.source_update() is not None,
            _("This translation is not outdated."),
        ),
    ]
}

# The actions offered as buttons in the workflow panel, in this order. Translations have their
# own places on the page (the language versions table, the outdated-translation notice).
PANEL_ACTIONS = [
    "submit",
    "publish",
    "schedule",
    "return_to_draft",
    "unschedule",
    "withdraw",
    "unpublish",
    "change_note",
    "new_edition",
    "share_link",
    "revoke_share_links",
]

PERMISSION_REASONS = {
    EDIT_PERMISSION: _("You do not have permission to edit statements."),
    PUBLISH_PERMISSION: _(
        "Only a publisher (the Publishers group) can approve, publish, schedule, withdraw or "
        "unpublish statements, correct change notes or mark translations up to date."
    ),
}

FOUR_EYES = _(
    "You cannot publish your own edition: four-eyes rule. Another publisher must approve it, "
    "because you wrote part of its text, submitted it or last edited it."
)


def refusal(edition: Edition, user, name: str) -> str | None:
    """Why `user` may not take the action `name` on `edition` now; None when they may."""
    action = ACTIONS.get(name)
    if action is None:
        return str(_("There is no such action."))
    if not user.has_perm(action.permission):
        return str(PERMISSION_REASONS[action.permission])
    if not action.applies(edition):
        return str(action.not_now) % {"state": edition.get_state_display().lower()}
    if name in ("publish", "schedule") and edition.four_eyes_forbid(user):
        return str(FOUR_EYES)
    return None


def available_actions(edition: Edition, user) -> list[Action]:
    """The panel's actions `user` may take on `edition` now, in the panel's order."""
    return [ACTIONS[name] for name in PANEL_ACTIONS if refusal(edition, user, name) is None]
