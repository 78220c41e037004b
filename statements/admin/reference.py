"""The reference data editors keep beside statements: observances, topics, organisations."""

from django.contrib import admin

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
    list_display = ["name_en", "is_default"]
    search_fields = ["name_en", "name_az", "name_ru"]
