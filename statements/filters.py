"""Filters of the public statement list (django-filter): kind, topic, year and search."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from statements.models import Edition, Kind, Topic
from statements.search import clean_query, search


class SearchField(forms.CharField):
    """Whatever is typed is something to look for: control characters (NUL included) are
    dropped and the length is capped, rather than the page answering with an error."""

    def to_python(self, value):
        return clean_query(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class StatementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        empty_label=_("All topics"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="issued_on__year",
        empty_label=_("All years"),
    )

    q = SearchFilter(label=_("Search"), method="search_text")

    class Meta:
        model = Edition
        fields = ["kind", "topic", "year", "q"]

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        years = (
            Edition.objects.listed().in_language(language).dates("issued_on", "year", order="DESC")
        )
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]

    def search_text(self, queryset, name, value):
        return search(queryset, value, self.language)
