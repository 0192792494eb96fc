from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from procurement.enums import StatementState
from procurement.models import (
    Award,
    ClauseSettings,
    Contract,
    ContractTransition,
    HoursSource,
    HoursStatement,
    SectorDefaults,
    SiaeOrder,
    SiaeProfile,
)


@admin.register(SectorDefaults)
class SectorDefaultsAdmin(admin.ModelAdmin):
    list_display = ["sector", "labour_share", "insertion_rate", "hourly_cost"]
    list_editable = ["labour_share", "insertion_rate", "hourly_cost"]


@admin.register(ClauseSettings)
class ClauseSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "fte_divisor", "siae_hourly_cost"]

    def has_add_permission(self, request):
        return not ClauseSettings.objects.exists()


class AwardInline(admin.TabularInline):
    model = Award
    raw_id_fields = ["company"]
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ContractTransition
    readonly_fields = ["from_state", "to_state", "actor", "organisation", "at", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "buyer", "sector", "state", "clause_hours"]
    list_filter = ["state", "sector"]
    search_fields = ["reference", "title", "decp_id"]
    list_select_related = ["buyer"]
    raw_id_fields = ["buyer", "place_of_execution", "created_by"]
    # The state only changes through the workflow, which logs it.
    readonly_fields = ["state", "clause_hours"]
    inlines = [AwardInline, TransitionInline]


@admin.register(SiaeProfile)
class SiaeProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "contact_name", "contact_email"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["sectors", "communes"]


@admin.register(SiaeOrder)
class SiaeOrderAdmin(admin.ModelAdmin):
    list_display = ["contract", "company", "siae", "kind", "amount_excl_vat", "hours"]
    raw_id_fields = ["contract", "company", "siae", "source", "created_by"]


@admin.register(HoursSource)
class HoursSourceAdmin(admin.ModelAdmin):
    list_display = ["label", "contract", "company", "modality"]
    raw_id_fields = ["contract", "company"]
    search_fields = ["label"]


@admin.register(HoursStatement)
class HoursStatementAdmin(admin.ModelAdmin):
    list_display = ["source", "month", "hours", "state"]
    list_filter = ["state", "modality"]
    raw_id_fields = ["source", "adjusts", "declared_by", "decided_by"]
    # A proof has no URL (procurement/proofs.py): the admin links to the view that checks who asks.
    exclude = ["proof"]

    def get_readonly_fields(self, request, obj=None):
        """A validated statement is immutable; decisions go through the facilitator's pages."""
        if obj is not None and obj.state == StatementState.VALIDATED:
            return [f.name for f in self.model._meta.fields if f.name != "proof"] + ["proof_link"]
        return ["state", "decided_by", "decided_at", "proof_link"]

    @admin.display(description="justificatif")
    def proof_link(self, statement):
        if not statement.proof:
            return "—"
        url = reverse("procurement:statement_proof", args=[statement.pk])
        return format_html('<a href="{}">{}</a>', url, statement.get_proof_kind_display() or "Télécharger")
