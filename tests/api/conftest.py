import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """An API client; the cache (throttle counters, figures) is empty before and after."""
    cache.clear()
    yield APIClient()
    cache.clear()
