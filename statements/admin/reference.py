"""The reference data editors keep beside statements: observances, topics, organisations."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_changelists import SafeChangeListMixin
from statements import forms
from statements.models import Observance, Organisation, Topic


@admin.register(Observance)
class ObservanceAdmin(SafeChangeListMixin, admin.ModelAdmin):
    list_display = ["name_en", "month", "day", "slug"]
    search_fields = ["name_en", "name_az", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Topic)
class TopicAdmin(SafeChangeListMixin, admin.ModelAdmin):
    list_display = ["name_en", "name_az", "name_ru", "slug"]
    search_fields = ["name_en", "name_az", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Organisation)
class OrganisationAdmin(SafeChangeListMixin, admin.ModelAdmin):
    form = forms.OrganisationForm
    list_display = ["name_en", "short_name_en", "is_default", "press_email"]
    search_fields = [
        "name_en",
        "name_az",
        "name_ru",
        "short_name_en",
        "short_name_az",
        "short_name_ru",
    ]
    fieldsets = [
        (
            _("Name"),
            {
                "fields": [
                    ("name_en", "short_name_en"),
                    ("name_az", "short_name_az"),
                    ("name_ru", "short_name_ru"),
                ]
            },
        ),
        (None, {"fields": ["logo", "url", "is_default"]}),
        (
            _("Press contact"),
            {
                "description": _(
                    "Shown in the footer of every page when this is the default issuer. "
                    "Leave empty what should not be shown."
                ),
                "fields": [
                    ("press_email", "press_phone"),
                    "address_en",
                    "address_az",
                    "address_ru",
                    "office_hours_en",
                    "office_hours_az",
                    "office_hours_ru",
                ],
            },
        ),
    ]
