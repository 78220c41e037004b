"""Parsing of query parameters that both apps' APIs take."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def parse_moment(text: str) -> datetime.datetime | None:
    """An ISO 8601 date and time as an aware datetime (a time without zone is UTC), or None
    for anything else, including dates out of range."""
    try:
        moment = parse_datetime(text or "")
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment
