"""The editorial workflow of an edition, in one table.

`ACTIONS` holds every action an editor can take on an edition: the states it starts from,
the state it leads to (None: the edition keeps its state), the permission it needs, its
label, whether it asks for a confirmation page first, and any further condition. Everything
that decides what may happen reads this table:

* the operations in `statements/actions/` move an edition only along it (`transition`
  refuses any other move, inside the transaction that holds the row locked, so that two
  people acting at once cannot both succeed);
* the admin shows a button for each action `available_actions` returns, and answers an
  action it refuses with the reason `refusal` gives ("You cannot publish your own edition:
  four-eyes rule").

The stored states are in `State` (querysets.py). What an editor reads adds two derived
states, defined once here in `display_state`: *scheduled* (published, its time not come)
and *superseded* (published, a newer edition has gone live since).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from statements.querysets import PUBLIC_STATES, State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from statements.models import Edition

    # Who acts: a signed-in person (an anonymous one is refused by permission).
    Actor = User | AnonymousUser

PUBLISH_PERMISSION = "statements.publish_statement"
EDIT_PERMISSION = "statements.change_edition"

ALL_STATES = frozenset(State)
OPEN_STATES = frozenset({State.DRAFT, State.IN_REVIEW})


def _always(edition: Edition) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    permission: str
    # The states the edition may be in, and the state it moves to (None: it stays).
    sources: frozenset[str]
    target: str | None
    # True: the action opens its own page (a comment, a time, an explanation) before it runs.
    confirm: bool
    # A further condition beyond the state, and the reason given when the action is refused.
    when: Callable[[Edition], bool] = _always
    not_now: str | Promise = ""

    def applies(self, edition: Edition) -> bool:
        return edition.state in self.sources and self.when(edition)


def _is_live(edition: Edition) -> bool:
    live = edition.live_edition() if edition.go_live_at else None
    return live is not None and live.pk == edition.pk


def _is_scheduled(edition: Edition) -> bool:
    return edition.is_scheduled


def _has_change_note(edition: Edition) -> bool:
    return bool(edition.change_note)


def _source_changed(edition: Edition) -> bool:
    return edition.source_update() is not None


def _can_start_new_edition(edition: Edition) -> bool:
    return (
        edition.has_gone_live
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
            frozenset({State.DRAFT}),
            State.IN_REVIEW,
            confirm=True,
            not_now=_("Only a draft can be submitted for review; this edition is %(state)s."),
        ),
        Action(
            "publish",
            _("Approve and publish"),
            PUBLISH_PERMISSION,
            frozenset({State.IN_REVIEW}),
            State.PUBLISHED,
            confirm=True,
            not_now=_("Only an edition in review can be published; this edition is %(state)s."),
        ),
        Action(
            "schedule",
            _("Schedule"),
            PUBLISH_PERMISSION,
            frozenset({State.IN_REVIEW}),
            State.PUBLISHED,
            confirm=True,
            not_now=_("Only an edition in review can be scheduled; this edition is %(state)s."),
        ),
        Action(
            "return_to_draft",
            _("Return to draft"),
            PUBLISH_PERMISSION,
            frozenset({State.IN_REVIEW}),
            State.DRAFT,
            confirm=True,
            not_now=_(
                "Only an edition in review can be returned to draft; this edition is %(state)s."
            ),
        ),
        Action(
            "unschedule",
            _("Unschedule"),
            PUBLISH_PERMISSION,
            frozenset({State.PUBLISHED}),
            State.IN_REVIEW,
            confirm=True,
            when=_is_scheduled,
            not_now=_("Only an edition scheduled for a future time can be unscheduled."),
        ),
        Action(
            "withdraw",
            _("Withdraw"),
            PUBLISH_PERMISSION,
            frozenset({State.PUBLISHED}),
            State.WITHDRAWN,
            confirm=True,
            when=_is_live,
            not_now=_("Only the published edition the public sees now can be withdrawn."),
        ),
        Action(
            "unpublish",
            _("Unpublish"),
            PUBLISH_PERMISSION,
            frozenset(PUBLIC_STATES),
            State.UNPUBLISHED,
            confirm=True,
            when=_is_live,
            not_now=_("Only the edition the public sees now can be unpublished."),
        ),
        Action(
            "change_note",
            _("Correct the change note"),
            PUBLISH_PERMISSION,
            ALL_STATES - {State.DRAFT},
            None,
            confirm=True,
            when=_has_change_note,
            not_now=_("This edition has no public change note to correct."),
        ),
        Action(
            "new_edition",
            _("Create a new edition to edit"),
            EDIT_PERMISSION,
            frozenset({State.PUBLISHED}),
            None,  # this edition stays; the new one starts as a draft
            confirm=False,
            when=_can_start_new_edition,
            not_now=_(
                "A new edition starts from the published edition the public sees, when no "
                "other edition is open."
            ),
        ),
        Action(
            "restore",
            _("Restore the older revision as a draft"),
            EDIT_PERMISSION,
            ALL_STATES,
            None,  # restored into this edition when open, else into a new edition
            confirm=False,
        ),
        Action(
            "share_link",
            _("Create a share link"),
            EDIT_PERMISSION,
            OPEN_STATES,
            None,
            confirm=False,
            not_now=_("Share links are for drafts and editions in review."),
        ),
        Action(
            "revoke_share_links",
            _("Revoke all share links"),
            EDIT_PERMISSION,
            OPEN_STATES,
            None,
            confirm=False,
            not_now=_("Share links are for drafts and editions in review."),
        ),
        Action(
            "translate",
            _("Add translation"),
            EDIT_PERMISSION,
            ALL_STATES,
            None,  # the translation starts as a draft of its own
            confirm=False,
        ),
        Action(
            "translation_current",
            _("Mark the translation as up to date"),
            PUBLISH_PERMISSION,
            ALL_STATES,
            None,
            confirm=False,
            when=_source_changed,
            not_now=_("This translation is not outdated."),
        ),
    ]
}

# The actions offered as buttons in the workflow panel, in this order. Translations and
# restoring have their own places (the language versions table, the outdated-translation
# notice, the compare page).
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
FOUR_EYES_ACTIONS = {"publish", "schedule"}


def refusal(edition: Edition, user: Actor, name: str) -> str | None:
    """Why `user` may not take the action `name` on `edition` now; None when they may."""
    action = ACTIONS.get(name)
    if action is None:
        return str(_("There is no such action."))
    if not user.has_perm(action.permission):
        return str(PERMISSION_REASONS[action.permission])
    if not action.applies(edition):
        return str(action.not_now) % {"state": edition.get_state_display().lower()}
    if name in FOUR_EYES_ACTIONS and edition.four_eyes_forbid(user):
        return str(FOUR_EYES)
    return None


def available_actions(edition: Edition, user: Actor) -> list[Action]:
    """The panel's actions `user` may take on `edition` now, in the panel's order."""
    return [ACTIONS[name] for name in PANEL_ACTIONS if refusal(edition, user, name) is None]


# --- the state an editor reads ----------------------------------------------------------


class DisplayState(models.TextChoices):
    """The stored states, with "scheduled" and "superseded" told apart from "published"."""

    DRAFT = State.DRAFT.value, State.DRAFT.label
    IN_REVIEW = State.IN_REVIEW.value, State.IN_REVIEW.label
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = State.PUBLISHED.value, State.PUBLISHED.label
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = State.WITHDRAWN.value, State.WITHDRAWN.label
    UNPUBLISHED = State.UNPUBLISHED.value, State.UNPUBLISHED.label


def display_state(edition: Edition, *, superseded: bool | None = None) -> DisplayState:
    """The state of `edition` as an editor reads it. `superseded` may be given when the
    caller already knows it (the admin list annotates it); otherwise it is looked up, only
    for a published edition whose time has come."""
    if edition.state != State.PUBLISHED:
        return DisplayState(edition.state)
    if edition.go_live_at is not None and edition.go_live_at > timezone.now():
        return DisplayState.SCHEDULED
    if superseded is None:
        superseded = edition.is_superseded()
    return DisplayState.SUPERSEDED if superseded else DisplayState.PUBLISHED
