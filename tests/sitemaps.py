"""The whole sitemap as a crawler reads it: the index at /sitemap.xml, then every sitemap it
names."""

import re
import xml.etree.ElementTree as ET

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_paths(client, **headers) -> list[str]:
    """The paths of the sitemaps the index names (its locations are absolute)."""
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [re.sub(r"^https?://[^/]+", "", loc.text or "") for loc in index.iter(f"{SITEMAP}loc")]


def every_sitemap(client, **headers) -> list[bytes]:
    """The content of every sitemap the index names."""
    found = []
    for path in sitemap_paths(client, **headers):
        response = client.get(path, **headers)
        assert response.status_code == 200, path
        found.append(response.content)
    return found
