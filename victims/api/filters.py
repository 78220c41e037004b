"""Filters of the incidents API (django-filter, as the statements API): every bad value is a
400 naming its parameter ("year: …")."""

import django_filters
from django import forms
from rest_framework import exceptions

from config.parsing import parse_moment
from victims.api import tables
from victims.choices import DeviceCategory, Verification
from victims.models import Incident


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class IncidentFilterSet(django_filters.FilterSet):
    year = YearFilter(
        field_name="occurred_on",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": "a year as four digits, e.g. 2024",
            "min_value": "a year as four digits, e.g. 2024",
            "max_value": "a year as four digits, e.g. 2024",
        },
    )
    area = django_filters.CharFilter(method="filter_area")
    device_category = django_filters.ChoiceFilter(choices=DeviceCategory.choices)
    verification = django_filters.ChoiceFilter(choices=Verification.choices)
    updated_since = django_filters.CharFilter(method="filter_updated_since")

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_area(self, queryset, name, value):
        if not tables.is_known_area(value):
            raise exceptions.ValidationError({"area": f"unknown area code {value[:20]!r}"})
        return queryset.filter(area__code=value)

    def filter_updated_since(self, queryset, name, value):
        """A time without zone is UTC (not the site's zone): partners' clocks vary."""
        return queryset.filter(updated_at__gte=self.since())

    def since(self):
        """The `updated_since` time asked for, or None."""
        text = self.form.cleaned_data.get("updated_since")
        if not text:
            return None
        moment = parse_moment(text)
        if moment is None:
            raise exceptions.ValidationError({"updated_since": "an ISO 8601 date and time"})
        return moment
