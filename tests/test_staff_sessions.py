"""Staff sessions and passwords (issue 11: staff accounts)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


def test_a_staff_session_ends_with_the_browser_and_after_eight_hours(client, editor):
    client.force_login(editor)

    session = client.get("/admin/").wsgi_request.session

    assert session.get_expire_at_browser_close()
    assert session.get_expiry_age() == 8 * 3600
    cookie = client.cookies["sessionid"]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie


@pytest.mark.parametrize(
    ("password", "reason"),
    [("eleven-char", "at least 12 characters"), ("password1234", "too common")],
)
def test_short_and_common_passwords_are_refused(password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert reason in " ".join(refused.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("mine awareness day 4 April")
