"""Property: no query string, however odd, gets a server error from a public page or from an
admin changelist's filters (Schemathesis does the same for the API: tests/api).

Hypothesis draws parameter names from those the pages and filters read (and some they do
not) and values from what breaks parsers: huge and negative numbers, dates out of range,
Unicode, separators, SQL, very long text. Deterministic (derandomize) so CI is repeatable.
"""

import datetime

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    AreaFactory,
    CasualtyFactory,
    EditionFactory,
    IncidentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ODD_VALUES = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.sampled_from(
        [
            "",
            "2024",
            "2024-13-45",
            "0000-00-00",
            "9999-12-31",
            "2024-2021",
            "2021-2024-2026",
            "AZ-LAC",
            "' OR 1=1--",
            "%",
            "_",
            "a,b",
            "1e309",
            "NaN",
            "-0",
            "\u202e",
            "Laçın",
            "x" * 5000,
        ]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=40,
    ),
)
SETTINGS = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def query(names):
    return st.dictionaries(st.sampled_from(names), ODD_VALUES, max_size=4)


@pytest.fixture
def site(publish):
    area = AreaFactory(code="AZ-LAC", name="Laçın")
    for day in range(1, 6):
        CasualtyFactory(
            incident=IncidentFactory(area=area, occurred_on=datetime.date(2024, 3, day))
        )
    return publish(EditionFactory())


PUBLIC_PATHS = [
    "/en/",
    "/az/",
    "/en/statements/",
    "/ru/statements/",
    "/en/statements/feed.atom",
    "/en/statements/feed.rss",
    "/en/casualties/",
    "/en/casualties/by_year.csv",
    "/en/observances/mine-awareness-day/",
    "/sitemap.xml",
    "/healthz",
]
PUBLIC_PARAMETERS = ["q", "topic", "year", "kind", "page", "from", "to", "area", "a", "b", "lang"]


@SETTINGS
@given(path=st.sampled_from(PUBLIC_PATHS), params=query(PUBLIC_PARAMETERS))
def test_no_public_page_fails_on_any_query(site, path, params):
    response = Client(raise_request_exception=False).get(path, params)

    assert response.status_code < 500, (path, params, response.status_code)


ADMIN_CHANGELISTS = {
    "/admin/statements/edition/": [
        "state",
        "document__language__exact",
        "kind__exact",
        "topics__id__exact",
        "year",
        "outdated",
        "issued_on__year",
        "issued_on__month",
        "issued_on__day",
        "q",
        "o",
        "p",
        "e",
    ],
    "/admin/victims/incident/": [
        "year",
        "area__id__exact",
        "device_category__exact",
        "outcome",
        "status",
        "verification__exact",
        "occurred_on__year",
        "occurred_on__month",
        "occurred_on__gte",
        "q",
        "o",
        "p",
    ],
    "/admin/victims/incident/export/csv/": [
        "year",
        "area__id__exact",
        "occurred_on__year",
        "occurred_on__gte",
        "outcome",
        "q",
        "zzz",
    ],
    "/admin/statements/statementevent/": ["action", "at__year", "at__month", "q", "p"],
    "/admin/victims/area/": ["level__exact", "q", "o"],
    "/admin/autocomplete/": ["app_label", "model_name", "field_name", "term", "page"],
}


@pytest.fixture
def superuser_client(site):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@SETTINGS
@given(
    changelist=st.sampled_from(sorted(ADMIN_CHANGELISTS)),
    data=st.data(),
)
def test_no_admin_changelist_fails_on_any_filter(superuser_client, changelist, data):
    params = data.draw(query(ADMIN_CHANGELISTS[changelist]))

    response = superuser_client.get(changelist, params)

    assert response.status_code < 500, (changelist, params, response.status_code)


@pytest.mark.parametrize(
    ("path", "params", "notice"),
    [
        ("/admin/statements/edition/", {"issued_on__year": "9" * 20}, "whole list is shown"),
        ("/admin/statements/edition/", {"year": "9" * 20}, "whole list is shown"),
        ("/admin/victims/incident/", {"occurred_on__year": "9" * 20}, "whole list is shown"),
        (
            "/admin/victims/incident/export/csv/",
            {"occurred_on__gte": "abc"},
            "nothing was exported",
        ),
        ("/admin/victims/incident/export/xlsx/", {"zzz": "1"}, "nothing was exported"),
    ],
)
def test_the_reported_admin_filters_are_refused_with_a_notice(
    superuser_client, path, params, notice
):
    response = superuser_client.get(path, params, follow=True)

    assert response.status_code == 200
    assert notice in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/victims/incident/?area__id__exact=%00",
        "/admin/statements/edition/?q=a%00b",
        "/admin/autocomplete/?app_label=victims&model_name=incident&field_name=area&term=%00",
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_a_400_naming_it(superuser_client, path):
    response = superuser_client.get(path)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
