import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="demo logins exist only on SQLite")
def test_seed_demo_creates_the_demo_editor_in_local_debug_mode(settings, capsys, client):
    settings.DEBUG = True

    call_command("seed_demo")
    call_command("seed_demo")  # twice: idempotent

    out = capsys.readouterr().out
    assert "username 'editor', password 'editor-demo-password'" in out
    assert get_user_model().objects.filter(username="editor", is_staff=True).count() == 1
    assert client.login(username="editor", password="editor-demo-password")


def test_seed_demo_never_creates_a_demo_login_with_debug_off(settings, capsys):
    settings.DEBUG = False

    call_command("seed_demo")

    assert not get_user_model().objects.filter(username="editor").exists()
    assert "no demo accounts created" in capsys.readouterr().out
