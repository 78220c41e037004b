"""Changelist filters typed into the address bar: a clear refusal, never a 500.

Django's admin turns a filter it cannot apply into "?e=1" and a notice, but only for some
errors, and only on the changelist itself: a year of twenty digits in the date hierarchy
(OverflowError), a date of "abc" in a custom view that reuses the changelist (the export)
or a value the database cannot hold got through as 500s. Every changelist built through
`get_changelist_instance` now fails the same, handled way.
"""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

BAD_FILTER_ERRORS = (OverflowError, ValueError, ValidationError, IncorrectLookupParameters)


# A mixin for ModelAdmin classes: typed as one, a plain class at run time.
if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin
else:
    _ModelAdmin = object


class SafeChangeListMixin(_ModelAdmin):
    def changelist_view(self, request, extra_context=None):
        # Django answers bad filters with a redirect to "?e=1" and the whole list, silently.
        if request.method == "GET" and list(request.GET) == ["e"]:
            messages.warning(
                request,
                _(
                    "The filters in the address were not valid (a date or number out of "
                    "range?), so the whole list is shown. Choose the filters again."
                ),
            )
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except BAD_FILTER_ERRORS as error:
            raise IncorrectLookupParameters(error) from error

    def refuse_bad_filters(self, request, changelist_url: str) -> HttpResponseRedirect:
        """For views beside the changelist (exports): back to it, saying what went wrong."""
        messages.error(
            request,
            _(
                "The filters in the address are not valid (a date or number out of range?): "
                "nothing was exported. Choose the filters again on this page."
            ),
        )
        return HttpResponseRedirect(changelist_url)
