from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts import perms
from procurement.enums import AwardRole, ContractState, Modality, Sector


class ContractQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees every contract; a buyer its own; a company those awarded to it."""
        if organisation is None:
            return self.none()
        if perms.sees_everything(organisation):
            return self
        return self.filter(models.Q(buyer=organisation) | models.Q(awards__company=organisation)).distinct()


class Contract(models.Model):
    """A public contract (*marché*, or one of its *lots*) carrying a social clause."""

    buyer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="contracts", verbose_name="donneur d'ordre"
    )
    reference = models.CharField("référence", max_length=100)
    lot = models.CharField("lot", max_length=100, blank=True)
    title = models.CharField("objet", max_length=500)
    sector = models.CharField("secteur", max_length=30, choices=Sector.choices)
    cpv_code = models.CharField("code CPV", max_length=10, blank=True)
    amount_excl_vat = models.DecimalField("montant HT (€)", max_digits=14, decimal_places=2)
    notified_on = models.DateField("date de notification", null=True, blank=True)
    ends_on = models.DateField("date de fin", null=True, blank=True)
    place_of_execution = models.ForeignKey(
        "reference.Commune", on_delete=models.PROTECT, null=True, blank=True, verbose_name="lieu d'exécution"
    )
    state = models.CharField(
        "état", max_length=20, choices=ContractState.choices, default=ContractState.DRAFT, db_index=True
    )
    # Clause hours: computed from the parameters below, or entered directly by the buyer.
    labour_share = models.DecimalField("part de main-d'œuvre", max_digits=5, decimal_places=4, null=True, blank=True)
    insertion_rate = models.DecimalField("taux d'insertion", max_digits=5, decimal_places=4, null=True, blank=True)
    hourly_cost = models.DecimalField("coût horaire chargé (€)", max_digits=8, decimal_places=2, null=True, blank=True)
    hours_entered = models.PositiveIntegerField("heures saisies directement", null=True, blank=True)
    clause_hours = models.PositiveIntegerField("heures d'insertion", default=0)
    allowed_modalities = models.JSONField("modalités autorisées", default=list, blank=True)
    penalty_per_missing_hour = models.DecimalField(
        "pénalité par heure manquante (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    decp_id = models.CharField("identifiant DECP", max_length=100, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "marché"
        ordering = ["-created_at"]

    def __str__(self):
        lot = f" – lot {self.lot}" if self.lot else ""
        return f"{self.reference}{lot} – {self.title}"


class Award(models.Model):
    """A company holding (part of) a contract, with its share of the clause hours."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="awards", verbose_name="marché")
    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="awards", verbose_name="entreprise"
    )
    role = models.CharField("rôle", max_length=20, choices=AwardRole.choices, default=AwardRole.HOLDER)
    hours_share = models.PositiveIntegerField("heures d'insertion à réaliser")

    class Meta:
        verbose_name = "attribution"
        constraints = [models.UniqueConstraint(fields=["contract", "company"], name="unique_award_per_company")]

    def __str__(self):
        return f"{self.company} ({self.get_role_display()}) – {self.contract.reference}"


class HoursSource(models.Model):
    """What insertion hours are declared against: a validated placement (marketplace) or an SIAE
    order. The ledger only knows this row, so it does not depend on where hours come from."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="hours_sources", verbose_name="marché"
    )
    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="hours_sources", verbose_name="entreprise"
    )
    modality = models.CharField("modalité", max_length=30, choices=Modality.choices)
    label = models.CharField("libellé", max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "source d'heures"

    def __str__(self):
        return self.label
