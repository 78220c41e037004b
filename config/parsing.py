"""Parsing of query parameters that both apps' APIs take."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def parse_moment(text: str) -> datetime.datetime | None:
    """An ISO 8601 date and time as an aware datetime in UTC (a time without zone is UTC), or
    None for anything else, including dates out of range. In UTC: PostgreSQL refuses an offset
    Python accepts (+18:20), and a time at the edge of the calendar may have no UTC value."""
    try:
        moment = parse_datetime(text or "")
        if moment is None:
            return None
        if timezone.is_naive(moment):
            return timezone.make_aware(moment, datetime.UTC)
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return None
