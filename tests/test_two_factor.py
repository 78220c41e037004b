"""Staff sign-in as an attacker and a colleague who lost a phone would try it: password
guessing is locked out (django-axes), and a password alone opens no admin page (django-otp)."""

import datetime
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "a-long-test-password"
ENROL = reverse("two_factor_enrol")
VERIFY = reverse("two_factor_verify")


def sign_in(client, username, password=PASSWORD, address="192.0.2.10", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


# --- lockout ------------------------------------------------------------------------------


def test_fifty_wrong_passwords_lock_the_account_even_against_the_right_one(settings):
    settings.AXES_FAILURE_LIMIT = 10
    UserFactory(username="press")
    client = Client()

    wrong = [sign_in(client, "press", f"guess-{n}").status_code for n in range(50)]
    right = sign_in(client, "press")

    assert wrong[:9] == [200] * 9  # the form again, "enter a correct username and password"
    assert set(wrong[10:]) == {429}
    assert right.status_code == 429
    assert right["Retry-After"] == str(15 * 60)
    assert "Too many wrong passwords" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_per_address(settings):
    settings.AXES_FAILURE_LIMIT = 5
    UserFactory(username="press")
    UserFactory(username="other")
    for n in range(5):
        sign_in(Client(), "press", f"guess-{n}", address=f"198.51.100.{n}")

    # The username is locked from any address…
    assert sign_in(Client(), "press", address="203.0.113.1").status_code == 429
    # …and an address that guessed five times is locked for every username, even if it
    # claims to be someone else through X-Forwarded-For (no trusted proxy: not believed).
    for n in range(5):
        sign_in(Client(), f"nobody{n}", "x", address="203.0.113.9")
    spoofed = sign_in(Client(), "other", address="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert spoofed.status_code == 429
    assert sign_in(Client(), "other", address="203.0.113.10").status_code == 302


def test_the_lock_ends_after_the_cool_off_and_every_attempt_is_recorded(settings):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
    UserFactory(username="press")
    for n in range(3):
        sign_in(Client(), "press", f"guess-{n}")
    assert sign_in(Client(), "press").status_code == 429

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert sign_in(Client(), "press").status_code == 302

    assert AccessFailureLog.objects.filter(username="press").count() >= 3
    assert AccessLog.objects.filter(username="press").exists()  # the successful sign-in
    assert not AccessAttempt.objects.filter(username="press").exists()  # reset on success


def test_a_superuser_unlocks_an_account_in_the_admin(settings, client):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="press")
    for n in range(3):
        sign_in(Client(), "press", f"guess-{n}")
    assert sign_in(Client(), "press").status_code == 429
    client.force_login(UserFactory(username="admin", is_superuser=True))

    attempts = AccessAttempt.objects.filter(username="press")
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "press" in page.content.decode()
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in attempts],
            "post": "yes",
        },
    )

    assert not AccessAttempt.objects.filter(username="press").exists()
    assert sign_in(Client(), "press").status_code == 302


# --- two factors ----------------------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_password_alone_opens_no_admin_page(two_factor):
    UserFactory(username="press", groups=["Editors"])
    client = Client()

    signed_in = sign_in(client, "press")
    pages = [
        client.get(path) for path in ("/admin/", reverse("admin:statements_edition_changelist"))
    ]

    assert signed_in.status_code == 302
    for page in pages:
        assert page.status_code == 302 and page["Location"].startswith(ENROL)


def test_first_sign_in_enrols_an_app_and_shows_ten_backup_codes_once(two_factor):
    UserFactory(username="press", groups=["Editors"])
    client = Client()
    sign_in(client, "press")

    page = client.get(ENROL, {"next": "/admin/statements/edition/"})
    device = TOTPDevice.objects.get(user__username="press", confirmed=False)
    wrong = client.post(ENROL, {"code": "000000", "next": "/admin/statements/edition/"})
    assert "<svg" in page.content.decode() and "otpauth" not in page.content.decode()
    assert 'fill="white"' in page.content.decode() or "fill:white" in page.content.decode()
    key = re.search(r'<code class="two-factor__key">([A-Z2-7 ]+)</code>', page.content.decode())
    assert key and len(key[1].replace(" ", "")) >= 32  # the key, to type in by hand
    assert "That code is not the one your app shows now" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302  # still not verified

    # A wrong code makes the next try wait (django-otp's throttle): the editor retypes later.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        done = client.post(ENROL, {"code": current_code(device), "next": "/admin/statements/"})

    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get(ENROL).status_code == 302  # enrolled: no second enrolment page


def test_later_sign_ins_need_a_code_and_a_backup_code_works_once(two_factor):
    user = UserFactory(username="press", groups=["Editors"])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    backup = user.staticdevice_set.create(name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token="backup01")

    first = Client()
    sign_in(first, "press")
    assert first.get("/admin/")["Location"].startswith(VERIFY)
    refused = first.post(VERIFY, {"code": "123456", "next": "/admin/"})
    assert "That code is not right" in refused.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        verified = first.post(VERIFY, {"code": current_code(device), "next": "/admin/"})
        assert verified.status_code == 302 and verified["Location"] == "/admin/"
        assert first.get("/admin/").status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        second, third = Client(), Client()
        sign_in(second, "press")
        sign_in(third, "press")
        typed = {"code": "BACKUP 01", "next": "/admin/"}  # from paper, in capitals
        assert second.post(VERIFY, typed).status_code == 302
        assert second.get("/admin/").status_code == 200
        used = third.post(VERIFY, {"code": "backup01", "next": "/admin/"})
        assert "That code is not right, or was used already" in used.content.decode()
        assert third.get("/admin/").status_code == 302


def test_the_code_page_sends_nobody_to_another_site(two_factor):
    user = UserFactory(username="press")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    sign_in(client, "press")

    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.test/"})

    assert response["Location"] == "/admin/"


def test_a_superuser_resets_a_colleague_s_lost_phone(two_factor):
    colleague = UserFactory(username="press", groups=["Editors"])
    lost = TOTPDevice.objects.create(user=colleague, name="app", confirmed=True)
    admin_user = UserFactory(username="boss", is_superuser=True)
    boss_device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    boss = Client()
    sign_in(boss, "boss")
    boss.post(VERIFY, {"code": current_code(boss_device), "next": "/admin/"})

    deleted = boss.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    client = Client()
    sign_in(client, "press")
    assert client.get("/admin/")["Location"].startswith(ENROL)


def test_an_editor_cannot_reset_anyone_s_second_factor(two_factor):
    editor = UserFactory(username="press", groups=["Editors"])
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    other = TOTPDevice.objects.create(user=UserFactory(username="x"), name="app", confirmed=True)
    client = Client()
    sign_in(client, "press")
    client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})

    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[other.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(("debug", "required"), [("0", True), ("1", False)])
def test_two_factors_are_required_whenever_debug_is_off(run_python, debug, required):
    result = run_python(
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.TWO_FACTOR_REQUIRED))\n",
        env={"DEBUG": debug},
        unset=("TWO_FACTOR_REQUIRED",),
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) is required
