"""The statement list's filters draw the same controls as Django's form templates
(statements/widgets.py), and the page's filters are those controls."""

import re

import pytest
from django import forms

from statements.widgets import PythonSelect, PythonTextInput


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


CHOICES = [
    ("", "All kinds"),
    ("statement", "Statement"),
    ("a&b", 'Quotes " and <tags>'),
    ("Group", [("g1", "First"), ("g2", "Second")]),
]


@pytest.mark.parametrize("value", ["", "statement", "a&b", "g2", "not offered", None])
@pytest.mark.parametrize(
    "attrs",
    [{"id": "id_kind"}, {"id": "id_kind", "aria-invalid": "true", "required": True}, None],
)
def test_a_select_is_drawn_as_djangos(value, attrs):
    ours = PythonSelect(choices=CHOICES).render("kind", value, attrs)
    django = forms.Select(choices=CHOICES).render("kind", value, attrs)

    assert normalised(ours) == normalised(django)


@pytest.mark.parametrize("value", [None, "", "mine action", '"><script>alert(1)</script>'])
def test_a_text_input_is_drawn_as_djangos(value):
    attrs = {"id": "id_q", "aria-describedby": "id_q_error"}
    ours = PythonTextInput().render("q", value, attrs)
    django = forms.TextInput().render("q", value, attrs)

    assert ours == django
    assert "<script>" not in ours


@pytest.mark.django_db
def test_the_list_filters_name_their_errors_for_assistive_technology(client):
    """A rejected filter value is marked invalid and points at its message, which exists."""
    html = client.get("/en/statements/?year=2099&kind=speech").text

    select = re.search(r'<select name="year"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in select
    described_by = re.search(r'aria-describedby="([^"]+)"', select).group(1)
    message = re.search(rf'<div id="{described_by}"[^>]*>(.*?)</div>', html, re.S)
    assert message and "2099 is not one of the available choices" in message.group(1)
    kind = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    assert '<option value="speech" selected>' in kind
