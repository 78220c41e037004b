"""The workflow table (statements/workflow.py) is the one place that decides which moves are
allowed: the operations' guard refuses every move the table does not list, and the display
state shown to editors comes from one function."""

import datetime

import pytest
from django.utils import timezone

from statements import workflow
from statements.actions.base import transition
from statements.models import Edition, StatementEvent, WorkflowError
from statements.querysets import State
from tests.factories import EditionFactory

MOVES = [name for name, action in workflow.ACTIONS.items() if action.target is not None]


def fields_of(state: str) -> dict:
    """What the database requires beside a state (its constraints)."""
    now = timezone.now()
    if state == State.WITHDRAWN:
        return {"withdrawn_at": now, "withdrawal_explanation": "Superseded by events."}
    if state == State.UNPUBLISHED:
        return {"unpublished_at": now, "unpublish_explanation": "Published in error."}
    return {}


@pytest.mark.parametrize("name", MOVES)
@pytest.mark.parametrize("state", list(State))
def test_the_guard_allows_exactly_the_moves_in_the_table(db, name, state):
    edition = EditionFactory(state=state, go_live_at=timezone.now(), **fields_of(state))
    action = workflow.ACTIONS[name]
    events = StatementEvent.objects.count()

    if state in action.sources:
        transition(edition, by=None, action=name, **fields_of(action.target))
        assert Edition.objects.get(pk=edition.pk).state == action.target
        assert StatementEvent.objects.filter(action=name).count() == 1
    else:
        with pytest.raises(WorkflowError, match="cannot be"):
            transition(edition, by=None, action=name, **fields_of(action.target))
        assert Edition.objects.get(pk=edition.pk).state == state
        assert StatementEvent.objects.count() == events


def test_the_table_is_the_editorial_workflow():
    moves = {
        name: (set(action.sources), action.target)
        for name, action in workflow.ACTIONS.items()
        if action.target is not None
    }
    assert moves == {
        "submit": ({"draft"}, "in_review"),
        "return_to_draft": ({"in_review"}, "draft"),
        "publish": ({"in_review"}, "published"),
        "schedule": ({"in_review"}, "published"),
        "unschedule": ({"published"}, "in_review"),
        "withdraw": ({"published"}, "withdrawn"),
        "unpublish": ({"published", "withdrawn"}, "unpublished"),
    }


def test_an_action_that_keeps_the_state_is_not_a_move(db):
    edition = EditionFactory(state=State.PUBLISHED, go_live_at=timezone.now())
    with pytest.raises(ValueError, match="does not change the state"):
        transition(edition, by=None, action="new_edition")


def test_every_panel_action_and_every_audited_move_is_in_the_table():
    assert set(workflow.PANEL_ACTIONS) <= set(workflow.ACTIONS)
    for action in workflow.ACTIONS.values():
        assert action.sources, action.name
        assert action.target is None or action.target in State.values


def test_the_derived_states_are_told_apart(db):
    now = timezone.now()
    scheduled = EditionFactory(state=State.PUBLISHED, go_live_at=now + datetime.timedelta(hours=1))
    first = EditionFactory(state=State.PUBLISHED, go_live_at=now - datetime.timedelta(days=2))
    EditionFactory(
        document=first.document,
        number=2,
        state=State.PUBLISHED,
        go_live_at=now - datetime.timedelta(days=1),
    )
    draft = EditionFactory()

    assert workflow.display_state(scheduled) == workflow.DisplayState.SCHEDULED
    assert workflow.display_state(first) == workflow.DisplayState.SUPERSEDED
    assert workflow.display_state(first, superseded=False) == workflow.DisplayState.PUBLISHED
    assert workflow.display_state(draft) == workflow.DisplayState.DRAFT
    assert first.display_state() == "Superseded"
