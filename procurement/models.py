import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts import perms
from accounts.enums import OrganisationKind
from procurement.enums import (
    AwardRole,
    ContractState,
    Modality,
    OrderKind,
    ProofKind,
    Sector,
    StatementState,
)

FRACTION_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]
POSITIVE = [MinValueValidator(Decimal("0.01"), "La valeur doit être positive.")]


class SectorDefaults(models.Model):
    """Reference values the facilitator uses to size a clause in one sector (labour share varies by
    trade: painting about 70 %, masonry 50 %, steel frames 20 %). Edited by the facilitator, never in code."""

    sector = models.CharField("secteur", max_length=30, choices=Sector.choices, primary_key=True)
    labour_share = models.DecimalField(
        "part de main-d'œuvre", max_digits=5, decimal_places=4, validators=FRACTION_VALIDATORS
    )
    insertion_rate = models.DecimalField(
        "taux d'insertion", max_digits=5, decimal_places=4, validators=FRACTION_VALIDATORS
    )
    hourly_cost = models.DecimalField(
        "coût horaire chargé (€)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = "valeurs de référence d'un secteur"
        verbose_name_plural = "valeurs de référence des secteurs"
        ordering = ["sector"]

    def __str__(self):
        return self.get_sector_display()


class ClauseSettings(models.Model):
    """The single row of reference settings shared by every contract (FTE divisor, SIAE hourly cost)."""

    fte_divisor = models.PositiveIntegerField(
        "heures par équivalent temps plein",
        default=1607,
        validators=[MinValueValidator(1)],
        help_text="Durée légale annuelle : 1 607 h.",
    )
    siae_hourly_cost = models.DecimalField(
        "coût horaire de référence SIAE (€)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Convertit le montant d'une commande à une SIAE en heures d'insertion quand elle ne les déclare pas.",
    )
    overtime_tolerance_percent = models.DecimalField(
        "heures supplémentaires tolérées (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
        help_text="Au-delà des heures hebdomadaires d'une mise à l'emploi, jamais au-delà de 48 h par semaine.",
    )

    class Meta:
        verbose_name = "paramètres de référence"
        verbose_name_plural = "paramètres de référence"

    def __str__(self):
        return "Paramètres de référence"

    @classmethod
    def current(cls):
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class ContractQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees every contract; a buyer its own; a company those awarded to it."""
        if organisation is None:
            return self.none()
        if perms.sees_everything(organisation):
            return self
        # A subquery rather than joins: no duplicates, so no DISTINCT over the whole table.
        awarded = Award.objects.filter(company=organisation).values("contract_id")
        ordered = SiaeOrder.objects.filter(models.Q(company=organisation) | models.Q(siae=organisation))
        return self.filter(
            models.Q(buyer=organisation) | models.Q(pk__in=awarded) | models.Q(pk__in=ordered.values("contract_id"))
        )


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
    amount_excl_vat = models.DecimalField("montant HT (€)", max_digits=14, decimal_places=2, validators=POSITIVE)
    notified_on = models.DateField("date de notification", null=True, blank=True)
    # Set by the « Démarrer l'exécution » transition: hours count from the notification, or from this date.
    execution_started_on = models.DateField("début d'exécution", null=True, blank=True)
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
    hourly_cost = models.DecimalField(
        "coût horaire chargé (€)", max_digits=8, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
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

    @property
    def is_computed(self):
        """The hours come from the formula, not typed in directly."""
        return self.hours_entered is None

    def get_allowed_modalities_display(self):
        labels = dict(Modality.choices)
        return [labels.get(value, value) for value in self.allowed_modalities]

    @property
    def hours_start(self):
        """Hours count from the notification, or from the start of execution when it was not recorded."""
        return self.notified_on or self.execution_started_on


class ContractTransition(models.Model):
    """One change of state of a contract: who did it, for which organisation, when and why."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="transitions", verbose_name="marché")
    from_state = models.CharField("état de départ", max_length=20, choices=ContractState.choices)
    to_state = models.CharField("nouvel état", max_length=20, choices=ContractState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="pour l'organisation"
    )
    at = models.DateTimeField("le", default=timezone.now)
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "changement d'état d'un marché"
        verbose_name_plural = "changements d'état des marchés"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.contract_id}: {self.from_state} → {self.to_state}"


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
    order. The ledger only knows this row, so it does not depend on where hours come from: whoever
    creates it copies the limits its hours must respect (period, weekly hours, planned hours)."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="hours_sources", verbose_name="marché"
    )
    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="hours_sources", verbose_name="entreprise"
    )
    modality = models.CharField("modalité", max_length=30, choices=Modality.choices)
    label = models.CharField("libellé", max_length=300)
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True, help_text="Vide : sans date de fin (CDI).")
    weekly_hours = models.DecimalField(
        "heures hebdomadaires",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Celles d'une mise à l'emploi : elles plafonnent les heures de chaque mois.",
    )
    planned_hours = models.PositiveIntegerField(
        "heures prévues",
        null=True,
        blank=True,
        help_text="Celles d'une commande à une SIAE : au-delà, un avertissement.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "source d'heures"
        verbose_name_plural = "sources d'heures"

    def __str__(self):
        return self.label


class SiaeProfileQuerySet(models.QuerySet):
    def for_directory(self):
        return self.select_related("organisation__commune").prefetch_related("sectors", "communes")


class SiaeProfile(models.Model):
    """What the SIAE directory shows about one SIAE: its trades, where it works, whom to call."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="siae_profile",
        limit_choices_to={"kind": OrganisationKind.SIAE},
        verbose_name="SIAE",
    )
    description = models.TextField("présentation", blank=True)
    sectors = models.ManyToManyField(SectorDefaults, related_name="siae_profiles", verbose_name="secteurs", blank=True)
    communes = models.ManyToManyField(
        "reference.Commune", related_name="siae_profiles", verbose_name="communes desservies", blank=True
    )
    contact_name = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("e-mail du contact", blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=20, blank=True)

    objects = SiaeProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche SIAE"
        verbose_name_plural = "fiches SIAE"
        ordering = ["organisation__name"]

    def __str__(self):
        return str(self.organisation)


class SiaeOrderQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees every order; the company and the SIAE theirs; the buyer those on its contracts."""
        if organisation is None:
            return self.none()
        if perms.sees_everything(organisation):
            return self
        return self.filter(
            models.Q(company=organisation) | models.Q(siae=organisation) | models.Q(contract__buyer=organisation)
        )


class SiaeOrder(models.Model):
    """A company's order to an SIAE on a contract: the hours it brings count towards the clause."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="siae_orders", verbose_name="marché")
    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="siae_orders_placed", verbose_name="entreprise"
    )
    siae = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="siae_orders_received", verbose_name="SIAE"
    )
    kind = models.CharField("type de commande", max_length=20, choices=OrderKind.choices)
    amount_excl_vat = models.DecimalField(
        "montant HT (€)", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    hours = models.PositiveIntegerField("heures d'insertion apportées")
    source = models.OneToOneField(
        HoursSource, on_delete=models.PROTECT, related_name="siae_order", verbose_name="source d'heures"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = SiaeOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "commande à une SIAE"
        verbose_name_plural = "commandes à des SIAE"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="siae_order_period",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message="La fin de la commande doit suivre son début.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.siae} ({self.contract.reference})"


def proof_upload_to(statement, filename):
    """A random name: the uploaded one may name the person, and a name that can be guessed is a leak."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"justificatifs/{statement.month:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def proof_storage():
    """Proofs (pay slips, timesheets, invoices) live in their own storage, outside MEDIA_ROOT, and have no
    URL: only ``procurement.views.statement_proof`` serves them, after checking who asks."""
    return storages["proofs"]


class HoursStatementQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees every statement; the company its own; the buyer those on its contracts."""
        if organisation is None:
            return self.none()
        if perms.sees_everything(organisation):
            return self
        # One indexed lookup per way of seeing a source: an OR across the joined tables scans them all
        # (70 ms on a million statements, against 2 ms).
        sources = (
            HoursSource.objects.filter(company=organisation)
            .values("pk")
            .union(HoursSource.objects.filter(contract__buyer=organisation).values("pk"), all=True)
            .union(SiaeOrder.objects.filter(siae=organisation).order_by().values("source"), all=True)
        )
        return self.filter(source__in=sources)

    def proofs_readable_by(self, organisation):
        """Statements whose proof the organisation may download (``perms.reads_proofs_of``)."""
        if organisation is None:
            return self.none()
        if perms.sees_everything(organisation):
            return self
        return self.filter(source__company=organisation)

    def counted(self):
        """Statements that count as declared: pending or validated, not rejected."""
        return self.exclude(state=StatementState.REJECTED)


class HoursStatement(models.Model):
    """Hours worked in one month for one source, with proof. Validated statements are never changed:
    a correction is a new statement that ``adjusts`` the first one (its hours may be negative)."""

    source = models.ForeignKey(
        HoursSource, on_delete=models.PROTECT, related_name="statements", verbose_name="source d'heures"
    )
    month = models.DateField("mois", help_text="Premier jour du mois.")
    hours = models.DecimalField("heures", max_digits=8, decimal_places=2)
    modality = models.CharField("modalité", max_length=30, choices=Modality.choices)
    proof = models.FileField("justificatif", upload_to=proof_upload_to, storage=proof_storage, blank=True)
    proof_kind = models.CharField("type de justificatif", max_length=20, choices=ProofKind.choices, blank=True)
    proof_content_type = models.CharField("type de fichier du justificatif", max_length=50, blank=True)
    # The limit the hours were checked against when declared, and what the facilitator must know when validating.
    limit_note = models.CharField("plafond vérifié", max_length=500, blank=True)
    warning = models.CharField("avertissement", max_length=500, blank=True)
    state = models.CharField(
        "état", max_length=20, choices=StatementState.choices, default=StatementState.DECLARED, db_index=True
    )
    reason = models.TextField("motif", blank=True)
    adjusts = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments", verbose_name="corrige"
    )
    # A correction the facilitator made after the contract closed (the only writes a closed ledger accepts).
    by_facilitator = models.BooleanField("correction du facilitateur", default=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="déclaré par",
    )
    declared_at = models.DateTimeField("déclaré le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    objects = HoursStatementQuerySet.as_manager()

    class Meta:
        verbose_name = "relevé d'heures"
        verbose_name_plural = "relevés d'heures"
        ordering = ["-month", "-pk"]
        indexes = [
            # Progress of one contract: its sources' statements by month.
            models.Index(fields=["source", "month"], name="statement_source_month"),
            # Summary API: pending statements over a period.
            models.Index(fields=["state", "month"], name="statement_state_month"),
        ]
        constraints = [
            # No double counting: one validated statement per source and month, corrections apart.
            models.UniqueConstraint(
                fields=["source", "month"],
                condition=models.Q(state=StatementState.VALIDATED, adjusts__isnull=True),
                name="one_validated_statement_per_source_month",
                violation_error_message="Des heures sont déjà validées pour cette source et ce mois.",
            ),
            models.CheckConstraint(
                name="only_adjustments_may_be_negative",
                condition=models.Q(hours__gt=0) | models.Q(adjusts__isnull=False),
                violation_error_message="Seule une correction peut porter un nombre d'heures négatif ou nul.",
            ),
        ]

    def __str__(self):
        return f"{self.source} – {self.month:%m/%Y} – {self.hours} h"


class ValidatedHours(models.Model):
    """Validated hours summed by contract, company, modality and month, kept by ``validate_statement``
    in the same transaction: reports over a million statements read a few thousand of these rows."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="validated_hours")
    company = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    modality = models.CharField("modalité", max_length=30, choices=Modality.choices)
    month = models.DateField("mois")
    hours = models.DecimalField("heures validées", max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = "total d'heures validées"
        verbose_name_plural = "totaux d'heures validées"
        constraints = [
            models.UniqueConstraint(fields=["contract", "company", "modality", "month"], name="unique_validated_total")
        ]
        indexes = [
            # Reports over a period: every column they group and sum, so that SQLite and PostgreSQL read the
            # period's rows from the index alone. Scale 100 (60,000 rows a year): hours by contract, company and
            # modality 44 ms instead of 103, by month 11 instead of 46 (SQLite, CPU time, loaded machine).
            models.Index(fields=["month", "contract", "company", "modality", "hours"], name="validated_hours_report"),
        ]

    def __str__(self):
        return f"{self.contract_id} {self.month:%m/%Y} {self.modality}: {self.hours} h"


class ContractForecastQuerySet(models.QuerySet):
    def at_risk(self):
        """Contracts in progress whose last monthly check found them short, worst first: most hours at
        risk, then most penalty at stake."""
        return self.filter(at_risk=True, contract__state=ContractState.IN_PROGRESS).order_by(
            "-hours_at_risk", models.F("penalty_at_stake").desc(nulls_last=True), "contract_id"
        )

    def visible_to(self, organisation):
        """Those of the contracts the organisation sees (``Contract.objects.visible_to``)."""
        if organisation is None:
            return self.none()
        if perms.sees_everything(organisation):
            return self
        return self.filter(contract__in=Contract.objects.visible_to(organisation).values("pk"))


class ContractForecast(models.Model):
    """What the last monthly shortfall check (``services.check_shortfalls``) found for a contract in
    progress: its projection at the pace so far, the hours at risk and the penalty at stake, whether it
    falls short by more than ``SHORTFALL_ALERT_PERCENT`` and the month its parties were last alerted (they
    are alerted once a month at most). One row per contract, rewritten each month; alerts are notifications."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, primary_key=True, related_name="forecast", verbose_name="marché"
    )
    checked_on = models.DateField("vérifié le")
    hours_due = models.PositiveIntegerField("heures dues")
    hours_validated = models.DecimalField("heures validées", max_digits=12, decimal_places=2)
    hours_projected = models.DecimalField("projection à la date de fin", max_digits=12, decimal_places=2)
    hours_at_risk = models.DecimalField("heures à risque", max_digits=12, decimal_places=2)
    penalty_at_stake = models.DecimalField(
        "pénalité en jeu (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    at_risk = models.BooleanField("à risque", default=False)
    at_risk_since = models.DateField("à risque depuis le", null=True, blank=True)
    alerted_month = models.DateField(
        "dernière alerte (mois)", null=True, blank=True, help_text="Premier jour du mois de la dernière alerte."
    )

    objects = ContractForecastQuerySet.as_manager()

    class Meta:
        verbose_name = "projection d'un marché"
        verbose_name_plural = "projections des marchés"
        indexes = [
            # The list of contracts at risk, worst first (``ContractForecastQuerySet.at_risk``).
            models.Index(fields=["at_risk", "-hours_at_risk"], name="forecast_at_risk_idx"),
        ]

    def __str__(self):
        return f"{self.contract_id} au {self.checked_on}: {self.hours_at_risk} h à risque"

    @property
    def shortfall_percent(self):
        """Share of the hours due at risk, in percent."""
        return round(self.hours_at_risk * 100 / self.hours_due, 1) if self.hours_due else None
