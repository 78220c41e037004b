"""Filters of the public statement list (django-filter): kind, topic, year and search."""

import django_filters
from django import forms
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.compiled import SAMPLE_TIMES, CompiledQuery
from statements.models import Edition, Kind, Topic
from statements.search import clean_query, search
from statements.widgets import PythonSelect, PythonTextInput

# How many statements the list holds in each year: the year filter's choices, and the count
# of a list filtered by nothing but the year. Compiled once per process (config/compiled.py).
BY_YEAR = CompiledQuery(
    lambda language, at: (
        Edition.objects.listed(at)
        .in_language(language)
        .annotate(year=ExtractYear("issued_on"))
        .order_by()
        .values("year")
        .annotate(statements=Count("pk"))
        .values_list("year", "statements")
    ),
    samples=(
        {"language": "en", "at": SAMPLE_TIMES[0]},
        {"language": "ru", "at": SAMPLE_TIMES[1]},
    ),
)


def statements_by_year(language: str) -> dict[int | None, int]:
    """{year: how many listed statements of `language` were issued in it}, now."""
    return dict(BY_YEAR(language=language, at=timezone.now()))


class SearchField(forms.CharField):
    """Whatever is typed is something to look for: control characters (NUL included) are
    dropped and the length is capped, rather than the page answering with an error."""

    widget = PythonTextInput

    def to_python(self, value):
        return clean_query(super().to_python(value))


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class StatementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds"), widget=PythonSelect
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        empty_label=_("All topics"),
        widget=PythonSelect,
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"),
        field_name="issued_on__year",
        empty_label=_("All years"),
        widget=PythonSelect,
    )

    q = SearchFilter(label=_("Search"), method="search_text")

    class Meta:
        model = Edition
        fields = ["kind", "topic", "year", "q"]

    def __init__(
        self,
        *args,
        language: str = "en",
        by_year: dict[int | None, int] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.language = language
        # The years to choose from, with how many statements each has (`statements_by_year`,
        # unless given): one query for the choices and for the count of an unfiltered list.
        self.by_year = statements_by_year(language) if by_year is None else by_year
        years = sorted((year for year in self.by_year if year is not None), reverse=True)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    def count(self) -> int | None:
        """How many statements the list holds, when no filter but the year is set (None
        otherwise: the list's own query counts them)."""
        if self.is_bound and not self.is_valid():
            return None
        chosen = self.form.cleaned_data if self.is_bound else {}
        if any(chosen.get(name) for name in ("kind", "topic", "q")):
            return None
        year = chosen.get("year")
        if year:
            return self.by_year.get(int(year), 0)
        return sum(self.by_year.values())

    def search_text(self, queryset, name, value):
        return search(queryset, value, self.language)
