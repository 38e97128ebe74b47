"""Administrators set each authority's petition thresholds here."""

from django.contrib import admin

from agora.petitions.models import Threshold


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ("authority", "count", "brings", "answer_days")
    list_filter = ("brings",)
