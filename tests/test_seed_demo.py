import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_demo_editor_only_on_local_sqlite(settings, capsys, client):
    # The suite runs on SQLite and on PostgreSQL: with DEBUG on, the first is a developer's
    # machine and gets the demo login; the second never does.
    settings.DEBUG = True
    local = connection.vendor == "sqlite"

    call_command("seed_demo")
    call_command("seed_demo")  # twice: idempotent

    out = capsys.readouterr().out
    editors = get_user_model().objects.filter(username="editor", is_staff=True)
    assert editors.count() == (1 if local else 0)
    assert client.login(username="editor", password="editor-demo-password") is local
    assert ("username 'editor', password 'editor-demo-password'" in out) is local


def test_seed_demo_never_creates_a_demo_login_with_debug_off(settings, capsys):
    settings.DEBUG = False

    call_command("seed_demo")

    assert not get_user_model().objects.filter(username="editor").exists()
    assert "no demo accounts created" in capsys.readouterr().out
