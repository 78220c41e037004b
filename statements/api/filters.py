"""Filters of the statements API: every bad value is a 400 naming its parameter."""

import django_filters
from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from config.parsing import parse_moment
from statements.models import Edition, Kind, Observance, Topic
from statements.search import search

ORDERINGS = ["issued_on", "-issued_on", "public_updated_at", "-public_updated_at"]


class StatementFilterSet(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(
        field_name="document__language", choices=settings.LANGUAGES
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all()
    )
    observance = django_filters.ModelChoiceFilter(
        field_name="observance", to_field_name="slug", queryset=Observance.objects.all()
    )
    issued_after = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="gte", input_formats=["%Y-%m-%d"]
    )
    issued_before = django_filters.DateFilter(
        field_name="issued_on", lookup_expr="lte", input_formats=["%Y-%m-%d"]
    )
    updated_since = django_filters.CharFilter(method="changed_since", max_length=64)
    q = django_filters.CharFilter(method="search_text", max_length=200)

    class Meta:
        model = Edition
        fields: list[str] = []

    def changed_since(self, queryset, name, value):
        moment = parse_moment(value)
        if moment is None:
            raise exceptions.ValidationError({name: "an ISO 8601 date and time"})
        return queryset.filter(public_updated_at__gte=moment)

    def search_text(self, queryset, name, value):
        return search(queryset, value, self.data.get("language"))


class StrictOrderingFilter(BaseFilterBackend):
    """`ordering` = issued_on or public_updated_at, '-' for newest first."""

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get("ordering")
        if value is None:
            return ["-issued_on", "-pk"]
        if value not in ORDERINGS:
            raise exceptions.ValidationError({"ordering": f"one of: {', '.join(ORDERINGS)}"})
        return [value, "-pk" if value.startswith("-") else "pk"]

    def filter_queryset(self, request, queryset, view):
        return queryset.order_by(*self.get_ordering(request, queryset, view))


def any_filter(request, filterset_class) -> bool:
    """Whether the request sets any of the filter set's parameters."""
    return any(name in request.query_params for name in filterset_class.base_filters)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, left out when a request sets none of the filter set's
    parameters: making and validating the filter set's form then gives back the queryset as
    it was, at about a millisecond and a half of a list of fifty (profiled on PostgreSQL)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any_filter(request, filterset_class):
            return queryset
        return super().filter_queryset(request, queryset, view)
