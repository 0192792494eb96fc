import django_filters
from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from accounts.models import Organisation
from audit.enums import AuditAction
from audit.models import AuditEvent

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditEventFilter(django_filters.FilterSet):
    """The facilitator's filters: a person (candidate number), an organisation (acting or
    concerned), a contract (number or reference), an action and a period."""

    candidat = django_filters.NumberFilter(field_name="candidate_id", label="Candidat (n°)", min_value=1)
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("name"),
        method="for_organisation",
        label="Organisation",
        empty_label="Toutes les organisations",
    )
    marche = django_filters.CharFilter(method="for_contract", label="Marché (n° ou référence)")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label="Action", empty_label="Toutes les actions")
    du = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label="Du", widget=DATE_INPUT)
    au = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label="Au", widget=DATE_INPUT)

    class Meta:
        model = AuditEvent
        fields = []
        form = DsfrBaseForm

    def for_organisation(self, queryset, name, value):
        return queryset.filter(Q(actor_organisation=value) | Q(organisation=value))

    def for_contract(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(Q(contract_id=int(value)) | Q(contract__reference__iexact=value))
        return queryset.filter(contract__reference__iexact=value)
