"""The site's name and press contact come from the default issuing organisation."""

import re

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NAMES = {
    "en": ("Ministry of Foreign Affairs", "MFA"),
    "az": ("Xarici İşlər Nazirliyi", "XİN"),
    "ru": ("Министерство иностранных дел", "МИД"),
}


@pytest.fixture
def ministry():
    return OrganisationFactory(
        name_en=NAMES["en"][0],
        name_az=NAMES["az"][0],
        name_ru=NAMES["ru"][0],
        short_name_en="MFA",
        short_name_az="XİN",
        short_name_ru="МИД",
        is_default=True,
        press_email="press@example.org",
        press_phone="+994 12 000 00 00",
        address_en="1 Example Street\nBaku",
        address_az="Nümunə küçəsi 1\nBakı",
        address_ru="ул. Примерная, 1\nБаку",
        office_hours_en="Monday to Friday, 9:00–18:00",
        office_hours_az="Bazar ertəsi – cümə, 9:00–18:00",
        office_hours_ru="Понедельник – пятница, 9:00–18:00",
    )


def part(html, pattern):
    return re.search(pattern, html, re.S).group(0)


@pytest.mark.parametrize("language", ["en", "az", "ru"])
def test_header_title_and_footer_name_the_ministry_in_the_readers_language(
    client, ministry, language
):
    name, short = NAMES[language]

    html = client.get(f"/{language}/statements/").content.decode()

    header = part(html, r'<a class="site-name".*?</a>')
    assert f'<span class="site-name__full">{name}</span>' in header
    assert f'<span class="site-name__short" aria-hidden="true">{short}</span>' in header
    assert re.search(rf"<title>[^<]* · {name}</title>", html)
    footer = part(html, r'<footer class="site-footer">.*?</footer>')
    assert name in footer
    assert "Ministry Press Office" not in html


@pytest.mark.parametrize(
    ("language", "address", "hours", "methodology"),
    [
        ("en", "1 Example Street<br>Baku", "Monday to Friday", "Methodology and licence"),
        ("az", "Nümunə küçəsi 1<br>Bakı", "Bazar ertəsi", "Metodologiya və lisenziya"),
        ("ru", "ул. Примерная, 1<br>Баку", "Понедельник", "Методология и лицензия"),
    ],
)
def test_footer_carries_the_press_contact_and_the_methodology_link(
    client, ministry, language, address, hours, methodology
):
    html = client.get(f"/{language}/").content.decode()
    footer = part(html, r'<footer class="site-footer">.*?</footer>')

    assert '<a href="mailto:press@example.org">press@example.org</a>' in footer
    assert '<a href="tel:+994120000000">+994 12 000 00 00</a>' in footer
    assert address in footer
    assert hours in footer
    assert f'<a href="/{language}/casualties/#methodology">{methodology}</a>' in footer


def test_a_language_without_its_own_values_falls_back_to_english(client):
    OrganisationFactory(
        name_en="Ministry of Foreign Affairs",
        name_az="",
        short_name_en="MFA",
        is_default=True,
        office_hours_en="Monday to Friday",
    )

    html = client.get("/az/").content.decode()

    assert '<span class="site-name__full">Ministry of Foreign Affairs</span>' in html
    assert ">MFA</span>" in html
    assert "Monday to Friday" in html


def test_without_a_default_organisation_the_site_name_setting_is_used(client, settings):
    settings.SITE_NAME = "Fallback Press Office"
    OrganisationFactory(name_en="A partner, not the default")

    html = client.get("/ru/").content.decode()

    assert '<span class="site-name__full">Fallback Press Office</span>' in html
    assert "<title>Fallback Press Office</title>" in html
    assert "site-name__short" not in html
    assert 'class="press-contact"' not in html
    assert "A partner" not in html


def test_the_identity_costs_one_query_per_version_of_the_statements(client, ministry, settings):
    """Looked up once, then kept until a statement, organisation, topic... changes."""
    from statements.models import Organisation

    settings.PAGE_CACHE = False  # every page drawn anew: the identity alone is cached

    def identity_queries(path: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        return sum(
            'WHERE "statements_organisation"."is_default"' in q["sql"]
            for q in captured.captured_queries
        )

    assert identity_queries("/en/") == 1
    assert identity_queries("/en/observances/") == 0
    ministry.name_en = "Ministry of Foreign Affairs of the Republic"
    ministry.save()
    assert identity_queries("/en/") == 1
    assert "Ministry of Foreign Affairs of the Republic" in client.get("/en/").text
    Organisation.objects.all().delete()
    assert identity_queries("/en/") == 1
    assert identity_queries("/en/observances/") == 0


def test_the_identity_is_read_from_this_processs_memory_until_its_version_changes(
    client, ministry, settings, monkeypatch
):
    """No round trip to the shared cache for it on every page: the process keeps it under
    the same versioned key, so a change still shows on the next request."""
    from django.core.cache import caches

    settings.PAGE_CACHE = False
    shared = caches[settings.PAGE_CACHE_ALIAS]
    reads = []
    real_get = shared.get
    monkeypatch.setattr(
        shared, "get", lambda key, *args, **kwargs: reads.append(key) or real_get(key, *args)
    )

    def identity_reads(path: str) -> int:
        reads.clear()
        client.get(path)
        return sum(":site-identity" in key for key in reads)

    assert identity_reads("/en/") == 1
    assert identity_reads("/en/") == 0
    assert identity_reads("/en/statements/") == 0
    ministry.name_en = "Ministry of Foreign Affairs of the Republic"
    ministry.save()
    assert identity_reads("/en/") == 1
    assert "Ministry of Foreign Affairs of the Republic" in client.get("/en/").text


def test_the_admin_header_follows_the_organisation(admin_client, ministry):
    html = admin_client.get("/admin/", headers={"accept-language": "ru"}).content.decode()

    assert re.search(
        r'<div id="site-name"><a href="/admin/">Министерство иностранных дел</a>', html
    )
    assert re.search(r"<title>[^<]*\| Министерство иностранных дел</title>", html)


def test_the_feed_title_names_the_organisation(client, ministry):
    body = client.get("/az/statements/feed.atom").content.decode()

    assert "<title>Xarici İşlər Nazirliyi · " in body
