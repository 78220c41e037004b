import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_root_redirects_to_english_by_default(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert client.get("/en/").status_code == 200


@pytest.mark.parametrize(("accept", "expected"), [("ru,en;q=0.5", "/ru/"), ("az", "/az/")])
def test_root_redirects_to_the_visitors_language(client, accept, expected):
    response = client.get("/", headers={"accept-language": accept})

    assert response["Location"] == expected


def test_unsupported_language_falls_back_to_english(client):
    response = client.get("/", headers={"accept-language": "fr-FR"})

    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("prefix", "lang", "skip_text"),
    [
        ("en", "en", "Skip to main content"),
        ("az", "az", "Əsas məzmuna keçin"),
        ("ru", "ru", "Перейти к основному содержанию"),
    ],
)
def test_home_page_is_served_in_each_language(client, prefix, lang, skip_text):
    response = client.get(f"/{prefix}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert f'<html lang="{lang}"' in html
    assert f'<a class="skip-link" href="#main">{skip_text}</a>' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    html = client.get("/en/").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)

    assert 'href="/en/" hreflang="en" lang="en" aria-current="true">English<' in switcher
    assert 'href="/az/" hreflang="az" lang="az">Azərbaycanca<' in switcher
    assert 'href="/ru/" hreflang="ru" lang="ru">Русский<' in switcher


@pytest.mark.parametrize(
    "path",
    [
        "/az/",
        "/en/statements/?kind=speech&page=2",
        "/ru/observances/",
        "/en/casualties/?period=2024",
        "/az/no-such-page/",
    ],
)
def test_the_switcher_links_where_translate_url_would(client, path):
    """The switcher swaps the language prefix of a page that resolved (the URL patterns'
    words are not translated); Django's translate_url is the reference."""
    from django.urls import translate_url

    response = client.get(path)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', response.text, re.S)
    links = dict(re.findall(r'href="([^"]*)" hreflang="(\w+)"', switcher.group(0)))
    expected = {}
    for code in ("en", "az", "ru"):
        target = translate_url(path, code)
        expected[target if target != path or code == path[1:3] else f"/{code}/"] = code
    assert {url.replace("&amp;", "&"): code for url, code in links.items()} == expected


def test_pages_load_the_stylesheets_from_this_site(client):
    html = client.get("/en/").content.decode()

    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert not re.search(r"""(src|href)=["']https?://(?!testserver/)""", html)


def test_unknown_page_gets_the_404_page_in_the_site_layout(client):
    response = client.get("/ru/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert "<h1>Страница не найдена</h1>" in html
    assert 'class="language-switcher"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.urls("tests.urls_failing")
def test_server_error_gets_the_500_page_in_the_site_layout():
    client = Client(raise_request_exception=False)

    response = client.get("/en/boom/")
    html = response.content.decode()

    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert 'class="language-switcher"' in html
    assert "Traceback" not in html


def test_robots_txt_keeps_crawlers_out_of_admin_and_api(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "User-agent: *" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_admin_shows_its_login_page(client):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    assert 'name="password"' in response.content.decode()


def test_admin_shows_editors_the_display_time_zone(admin_client, settings):
    settings.TIME_ZONE = "Asia/Baku"

    html = admin_client.get("/admin/").content.decode()

    assert "Times are shown in Asia/Baku (UTC+0400)" in html


def test_api_root_answers_json(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json()["version"] == "v1"


def test_every_page_names_its_language_versions_for_search_engines(client):
    head = client.get("/az/statements/?kind=speech").content.decode().split("</head>")[0]

    for code in ("en", "az", "ru"):
        assert (
            f'<link rel="alternate" hreflang="{code}" '
            f'href="http://testserver/{code}/statements/?kind=speech">'
        ) in head
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/statements/?kind=speech">'
        in head
    )
    assert client.get("/statements/?kind=speech")["Location"] == "/en/statements/?kind=speech"
