"""The activity report (*bilan d'activité*) of a period: the indicators the MEP publishes each year (domain.md,
« What facilitators report »), for the facilitator (every contract) or a buyer (its own, aggregated).

A period counts the contracts whose clause was confirmed and that run during it (notified before its end, not
ended before its start), the hours validated for its months, the hires starting in it. Every ratio comes with its
numerator and denominator; counts of people below ``REPORT_SMALL_COUNT_THRESHOLD`` are masked for anyone but
the facilitator. Validated hours are read from the ``ValidatedHours`` totals, so the report is a fixed number of
grouped queries whatever the number of statements (see ``ActivityReport``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.models import Organisation
from accounts.perms import sees_everything
from common.exports import Number, Table
from marketplace.enums import Redirection, RedirectionOutcome
from procurement.enums import SIAE_MODALITIES, ContractState, Modality, Sector, StatementState
from procurement.models import (
    Award,
    ClauseSettings,
    Contract,
    ContractForecast,
    HoursStatement,
    SiaeOrder,
    ValidatedHours,
)
from procurement.progress import penalty_for
from reporting import participants, recruitment

ZERO = Decimal("0")
# Contracts whose insertion hours were negotiated: confirmed by the facilitator, and everything after.
REPORTED_STATES = (ContractState.CONFIRMED, ContractState.AWARDED, ContractState.IN_PROGRESS, ContractState.CLOSED)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def from_params(cls, params):
        """``from`` and ``to`` (YYYY-MM-DD) from a query string; the current year by default."""
        default = cls.year(timezone.localdate().year)
        errors = {}
        bounds = {}
        for key, fallback in (("from", default.start), ("to", default.end)):
            raw = params.get(key)
            try:
                bounds[key] = parse_date(raw) if raw else fallback
            except ValueError:
                bounds[key] = None
            if bounds[key] is None:
                errors[key] = "Date invalide : utilisez le format AAAA-MM-JJ."
        if not errors and bounds["to"] < bounds["from"]:
            errors["to"] = "La fin de la période doit suivre son début."
        if errors:
            raise ValidationError(errors)
        return cls(bounds["from"], bounds["to"])


def contracts_for(organisation, period):
    """Contracts the organisation reports on: negotiated (confirmed or later) and running during the period."""
    return Contract.objects.visible_to(organisation).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
        notified_on__lte=period.end,
        state__in=REPORTED_STATES,
    )


def masked(count):
    """A count small enough to point at someone (one RSA recipient on a contract) is shown as a bound."""
    threshold = settings.REPORT_SMALL_COUNT_THRESHOLD
    return f"moins de {threshold}" if 0 < count < threshold else count


def share(numerator, denominator):
    return Decimal(numerator) / Decimal(denominator) if denominator else None


RATIO_COLUMNS = ["Indicateur", "Nombre", "Sur", "Part"]


class ActivityReport:
    """The report of one organisation over one period. Each figure is read once, when first asked for; the
    page asks for all of them: 17 queries (named on each property), whatever the data size."""

    def __init__(self, organisation, period):
        self.organisation = organisation
        self.period = period
        self.sees_everything = sees_everything(organisation)
        self.masks_small_counts = not self.sees_everything
        self.contracts = contracts_for(organisation, period)
        self.small_count_threshold = settings.REPORT_SMALL_COUNT_THRESHOLD

    # -- what the figures are read from ------------------------------------------------------------------

    @cached_property
    def fte_divisor(self):
        """Hours per full-time equivalent (the reference settings' row): 1 query."""
        return ClauseSettings.current().fte_divisor

    @cached_property
    def contract_rows(self):
        """{contract id: (buyer id, sector, amount excl. VAT, hours negotiated)}: 1 query."""
        return {
            pk: (buyer, sector, amount, hours)
            for pk, buyer, sector, amount, hours in self.contracts.values_list(
                "pk", "buyer_id", "sector", "amount_excl_vat", "clause_hours"
            ).order_by()
        }

    @cached_property
    def negotiated(self):
        """{(buyer id, sector): [operations, amount excl. VAT, hours negotiated]}."""
        groups = defaultdict(lambda: [0, ZERO, 0])
        for buyer, sector, amount, hours in self.contract_rows.values():
            group = groups[(buyer, sector)]
            group[0] += 1
            group[1] += amount
            group[2] += hours
        return groups

    def _validated_in_period(self):
        return ValidatedHours.objects.filter(
            contract__in=self.contracts.values("pk"), month__range=(self.period.start, self.period.end)
        )

    @cached_property
    def delivered(self):
        """Hours validated for the period's months, as [(buyer id, sector, company id, modality, hours)]: 1 query
        over the totals kept by ``procurement.services.add_validated_hours``, grouped by contract, company and
        modality (7,000 rows a year at scale 100), the contract's buyer and sector added from ``contract_rows``.
        Grouping by buyer and sector in SQL as well took 5 times as long (60,000 groups: months multiply them).
        The facilitator's report reads the period's totals whole and keeps its contracts' (SQLite, given the
        contracts, read every month of each: 134 ms against 56); a buyer's starts from its few contracts."""
        validated = ValidatedHours.objects.filter(month__range=(self.period.start, self.period.end))
        if not self.sees_everything:
            validated = validated.filter(contract__in=self.contracts.values("pk"))
        grouped = validated.values_list("contract_id", "company_id", "modality").annotate(total=Sum("hours")).order_by()
        contracts = self.contract_rows
        return [
            (*contracts[contract][:2], company, modality, total)
            for contract, company, modality, total in grouped
            if contract in contracts
        ]

    @cached_property
    def delivered_by_month(self):
        """{month: hours validated}: 1 query."""
        return dict(self._validated_in_period().values_list("month").annotate(total=Sum("hours")).order_by())

    @cached_property
    def awards(self):
        """{company id: (contracts awarded, hours negotiated)}: 1 query."""
        grouped = (
            Award.objects.filter(contract__in=self.contracts.values("pk"))
            .values_list("company_id")
            .annotate(Count("pk"), Sum("hours_share"))
            .order_by()
        )
        return {company: (count, hours or 0) for company, count, hours in grouped}

    @cached_property
    def names(self):
        """Names of the buyers and companies in the report: 1 query."""
        keys = {buyer for buyer, _ in self.negotiated} | set(self.awards) | {row[2] for row in self.delivered}
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))

    @cached_property
    def pending(self):
        """Hours declared for the period's months and still waiting for the facilitator: 1 query. The waiting
        statements are few, and kept to the report's contracts here: SQLite, asked to, started from the contracts
        and read every statement of the year (190 ms at scale 100, against 1)."""
        waiting = HoursStatement.objects.filter(
            state=StatementState.DECLARED, month__range=(self.period.start, self.period.end)
        ).values_list("source__contract_id", "hours")
        return sum((hours for contract, hours in waiting if contract in self.contract_rows), ZERO)

    @cached_property
    def siae_orders(self):
        """[(SIAE name, orders, amount)] of the orders starting in the period (the turnover they bring): 1 query."""
        return list(
            SiaeOrder.objects.filter(
                contract__in=self.contracts.values("pk"), starts_on__range=(self.period.start, self.period.end)
            )
            .values_list("siae__name")
            .annotate(Count("pk"), Sum("amount_excl_vat"))
            .order_by("siae__name")
        )

    @cached_property
    def hired(self):
        """People hired and their hires (``reporting.participants.hired``): 1 query."""
        return participants.hired(start=self.period.start, end=self.period.end, contracts=self.contracts)

    @cached_property
    def exits(self):
        """Paths ending in the period and their outcomes: 1 query."""
        return participants.durable_exits(start=self.period.start, end=self.period.end, contracts=self.contracts)

    @cached_property
    def drives(self):
        """Information sessions held and their outcomes (``reporting.recruitment``): 4 queries."""
        return recruitment.drives(start=self.period.start, end=self.period.end, contracts=self.contracts)

    @cached_property
    def at_risk(self):
        """Contracts in progress that the last monthly check found short, worst first: 1 query."""
        return list(
            ContractForecast.objects.filter(contract__in=self.contracts.values("pk"))
            .at_risk()
            .select_related("contract__buyer")
        )

    @cached_property
    def closed(self):
        """[(reference, buyer's name, end date, hours due, penalty per missing hour, hours validated)] of the
        contracts closed that ended in the period (their hours of every month): 2 queries."""
        closed = self.contracts.filter(state=ContractState.CLOSED, ends_on__lte=self.period.end)
        validated = dict(
            ValidatedHours.objects.filter(contract__in=closed.values("pk"))
            .values_list("contract_id")
            .annotate(total=Sum("hours"))
            .order_by()
        )
        rows = closed.order_by("ends_on", "reference").values_list(
            "pk", "reference", "buyer__name", "ends_on", "clause_hours", "penalty_per_missing_hour"
        )
        return [(*row[1:], validated.get(row[0], ZERO)) for row in rows]

    # -- figures -----------------------------------------------------------------------------------------

    def _sum_delivered(self, index):
        totals = defaultdict(Decimal)
        for row in self.delivered:
            totals[row[index]] += row[4]
        return totals

    @cached_property
    def hours_validated(self):
        return sum((row[4] for row in self.delivered), ZERO)

    @cached_property
    def hours_negotiated(self):
        return sum(hours for _, _, hours in self.negotiated.values())

    @cached_property
    def siae_hours(self):
        return sum((row[4] for row in self.delivered if row[3] in SIAE_MODALITIES), ZERO)

    @cached_property
    def companies(self):
        """Partner companies: holding a reported contract, or delivering hours on one."""
        return set(self.awards) | {row[2] for row in self.delivered}

    def fte(self, hours):
        return Decimal(hours) / self.fte_divisor

    def summary(self):
        """Headline figures (the summary API)."""
        by_modality = self._sum_delivered(3)
        return {
            "from": self.period.start,
            "to": self.period.end,
            "operations": sum(count for count, _, _ in self.negotiated.values()),
            "amount_excl_vat": sum((amount for _, amount, _ in self.negotiated.values()), ZERO),
            "hours_negotiated": self.hours_negotiated,
            "fte_divisor": self.fte_divisor,
            "fte_negotiated": round(self.fte(self.hours_negotiated), 1),
            "hours_declared": self.hours_validated + self.pending,
            "hours_validated": self.hours_validated,
            "hours_pending": self.pending,
            "fte": round(self.fte(self.hours_validated), 2),
            "sectors": len({sector for _, sector in self.negotiated}),
            "buyers": len({buyer for buyer, _ in self.negotiated}),
            "companies": len(self.companies),
            "siae_hours": self.siae_hours,
            "siae_turnover": sum((amount for _, _, amount in self.siae_orders), ZERO),
            "siae": len(self.siae_orders),
            "by_modality": {m: by_modality.get(m, ZERO) for m in Modality.values},
        }

    # -- tables, in the order of the page and the workbook -------------------------------------------------

    def tables(self):
        return [
            self.summary_table(),
            self.contract_table("acheteurs", "Par donneur d'ordre", "Donneur d'ordre", 0, self.names.get),
            self.contract_table("secteurs", "Par secteur", "Secteur", 1, dict(Sector.choices).get),
            self.company_table(),
            self.modality_table(),
            self.month_table(),
            self.siae_table(),
            self.people_table(),
            self.contract_type_table(),
            self.exits_table(),
            self.drives_table(),
            self.at_risk_table(),
            self.closed_table(),
        ]

    def _people(self, count):
        """A count of people as shown to this organisation: a bound when small, for anyone but the facilitator."""
        shown = masked(count) if self.masks_small_counts else count
        return shown if isinstance(shown, str) else Number(shown)

    def _ratio(self, label, numerator, denominator=None, *, kind="count", people=False):
        """[label, numerator, denominator, share]: a share computed from a masked count is not shown."""
        if people:
            top, bottom = self._people(numerator), self._people(denominator) if denominator is not None else ""
            hidden = isinstance(top, str) or isinstance(bottom, str)
        else:
            top, bottom = Number(numerator, kind), Number(denominator, kind) if denominator is not None else ""
            hidden = False
        ratio = share(numerator, denominator) if denominator is not None and not hidden else None
        return [label, top, bottom, Number(ratio, "percent") if ratio is not None else ""]

    def summary_table(self):
        figures = self.summary()
        divisor = Number(self.fte_divisor)
        rows = [
            self._ratio("Opérations suivies", figures["operations"]),
            self._ratio("Montant HT des opérations", figures["amount_excl_vat"], kind="euros"),
            self._ratio("Heures d'insertion négociées", figures["hours_negotiated"], kind="hours"),
            self._ratio(
                f"Équivalents temps plein négociés ({divisor} h par ETP)", self.fte(self.hours_negotiated), kind="fte"
            ),
            self._ratio(
                "Heures d'insertion réalisées (validées) sur les heures négociées",
                self.hours_validated,
                self.hours_negotiated,
                kind="hours",
            ),
            self._ratio(
                f"Équivalents temps plein réalisés ({divisor} h par ETP)", self.fte(self.hours_validated), kind="fte"
            ),
            self._ratio("Heures déclarées en attente de validation", self.pending, kind="hours"),
            self._ratio("Secteurs concernés", figures["sectors"]),
            self._ratio("Donneurs d'ordre partenaires", figures["buyers"]),
            self._ratio("Entreprises partenaires", figures["companies"]),
            self._ratio(
                "Heures réalisées par des SIAE sur les heures réalisées",
                self.siae_hours,
                self.hours_validated,
                kind="hours",
            ),
            self._ratio(
                "Chiffre d'affaires apporté aux SIAE (commandes commencées)", figures["siae_turnover"], kind="euros"
            ),
            self._ratio("SIAE ayant reçu une commande", figures["siae"]),
            self._ratio("Personnes embauchées", self.hired.people, people=True),
        ]
        return Table("synthese", "Synthèse", RATIO_COLUMNS, rows)

    def contract_table(self, slug, title, key_header, index, label):
        """Operations, amount, hours negotiated and validated grouped by buyer (``index`` 0) or sector (1)."""
        groups = defaultdict(lambda: [0, ZERO, 0])
        for key, (count, amount, hours) in self.negotiated.items():
            group = groups[key[index]]
            group[0] += count
            group[1] += amount
            group[2] += hours
        delivered = self._sum_delivered(index)
        rows = [
            [
                label(value),
                Number(count),
                Number(amount, "euros"),
                Number(hours, "hours"),
                Number(delivered.get(value, ZERO), "hours"),
                Number(share(delivered.get(value, ZERO), hours), "percent") if hours else "",
            ]
            for value, (count, amount, hours) in groups.items()
        ]
        headers = [
            key_header,
            "Opérations",
            "Montant HT",
            "Heures négociées",
            "Heures réalisées",
            "Réalisées / négociées",
        ]
        return Table(slug, title, headers, sorted(rows, key=lambda row: str(row[0])))

    def company_table(self):
        delivered = self._sum_delivered(2)
        rows = []
        for company in self.companies:
            count, hours = self.awards.get(company, (0, 0))
            done = delivered.get(company, ZERO)
            rows.append(
                [
                    self.names.get(company),
                    Number(count),
                    Number(hours, "hours"),
                    Number(done, "hours"),
                    Number(share(done, hours), "percent") if hours else "",
                ]
            )
        headers = ["Entreprise", "Marchés attribués", "Heures négociées", "Heures réalisées", "Réalisées / négociées"]
        return Table("entreprises", "Par entreprise", headers, sorted(rows, key=lambda row: str(row[0])))

    def modality_table(self):
        hours = self._sum_delivered(3)
        rows = [
            [
                label,
                Number(hours.get(value, ZERO), "hours"),
                Number(share(hours.get(value, ZERO), self.hours_validated), "percent"),
            ]
            if self.hours_validated
            else [label, Number(ZERO, "hours"), ""]
            for value, label in Modality.choices
        ]
        return Table("modalites", "Par modalité", ["Modalité", "Heures réalisées", "Part des heures réalisées"], rows)

    def month_table(self):
        cumulative, rows = ZERO, []
        for month, total in sorted(self.delivered_by_month.items()):
            cumulative += total
            rows.append([month.strftime("%m/%Y"), Number(total, "hours"), Number(cumulative, "hours")])
        return Table("mois", "Par mois", ["Mois", "Heures réalisées", "Cumul sur la période"], rows)

    def siae_table(self):
        rows = [[name, Number(count), Number(amount, "euros")] for name, count, amount in self.siae_orders]
        return Table("siae", "SIAE", ["SIAE", "Commandes commencées", "Chiffre d'affaires apporté"], rows)

    def people_table(self):
        hired = self.hired
        people = hired.people
        rows = [
            self._ratio("Personnes embauchées", people, people=True),
            self._ratio("Embauches validées", hired.hires, people=True),
            self._ratio("Résidents d'un QPV ou d'une ZRR", hired.qpv, people, people=True),
            self._ratio("Moins de 26 ans", hired.under_26, people, people=True),
            self._ratio("Plus de 50 ans", hired.over_50, people, people=True),
            self._ratio("Femmes", hired.women, people, people=True),
            self._ratio("Au moins un critère de niveau 1", hired.level1_any, people, people=True),
            *(
                self._ratio(f"Critère de niveau 1 : {label}", count, people, people=True)
                for label, count in hired.level1.items()
            ),
            self._ratio("Embauches directes par les entreprises", hired.direct_hires, hired.hires, people=True),
            self._ratio(
                "Emplois durables (CDI, CDD de 6 mois et plus, contrat en alternance)",
                hired.durable_hires,
                hired.hires,
                people=True,
            ),
        ]
        return Table("personnes", "Personnes embauchées", RATIO_COLUMNS, rows)

    def contract_type_table(self):
        rows = []
        for label, count in self.hired.by_contract_type.items():
            _, hires, _, part = self._ratio(label, count, self.hired.hires, people=True)
            rows.append([label, hires, part])
        headers = ["Type de contrat", "Embauches", "Part des embauches"]
        return Table("contrats-de-travail", "Embauches par type de contrat", headers, rows)

    def exits_table(self):
        exits = self.exits
        rows = [
            self._ratio("Parcours terminés", exits["ended"], people=True),
            self._ratio("Sorties renseignées", exits["with_outcome"], exits["ended"], people=True),
            self._ratio(
                "Sorties dynamiques (CDI, CDD de 6 mois et plus, formation qualifiante)",
                exits["durable"],
                exits["with_outcome"],
                people=True,
            ),
        ]
        return Table("sorties", "Sorties de parcours", RATIO_COLUMNS, rows)

    def drives_table(self):
        drives = self.drives
        presented, redirected = drives["presented"], drives["redirected"]
        rows = [
            self._ratio("Informations collectives tenues", drives["sessions"]),
            self._ratio("Personnes présentées aux entreprises", presented, people=True),
            self._ratio("Embauchées", drives["hired"], presented, people=True),
            self._ratio("Réorientées (emploi, formation, autre dispositif)", redirected, people=True),
        ]
        rows += [
            self._ratio(f"Réorientées vers : {label}", drives["redirections"].get(value, 0), redirected, people=True)
            for value, label in Redirection.choices
        ]
        rows += [
            self._ratio(
                f"Suite de la réorientation : {label}",
                drives["redirection_outcomes"].get(value, 0),
                redirected,
                people=True,
            )
            for value, label in RedirectionOutcome.choices
        ]
        return Table("recrutement", "Recrutement en nombre", RATIO_COLUMNS, rows)

    def at_risk_table(self):
        rows = [
            [
                forecast.contract.reference,
                forecast.contract.buyer.name,
                forecast.contract.ends_on.strftime("%d/%m/%Y"),
                Number(forecast.hours_due, "hours"),
                Number(forecast.hours_validated, "hours"),
                Number(forecast.hours_projected, "hours"),
                Number(forecast.hours_at_risk, "hours"),
                Number(share(forecast.hours_at_risk, forecast.hours_due), "percent"),
                Number(forecast.penalty_at_stake, "money") if forecast.penalty_at_stake is not None else "non fixée",
            ]
            for forecast in self.at_risk
        ]
        headers = [
            "Marché",
            "Donneur d'ordre",
            "Fin",
            "Heures dues",
            "Heures validées",
            "Projection à la fin",
            "Heures à risque",
            "Part des heures dues",
            "Pénalité en jeu",
        ]
        return Table("marches-a-risque", "Marchés en cours à risque", headers, rows)

    def closed_table(self):
        rows = []
        for reference, buyer, ends_on, due, per_hour, validated in self.closed:
            missing = max(ZERO, due - validated)
            rows.append(
                [
                    reference,
                    buyer,
                    ends_on.strftime("%d/%m/%Y"),
                    Number(due, "hours"),
                    Number(validated, "hours"),
                    Number(missing, "hours"),
                    Number(per_hour, "money") if per_hour is not None else "non fixée",
                    Number(penalty_for(missing, per_hour), "money") if per_hour is not None else "",
                ]
            )
        headers = [
            "Marché",
            "Donneur d'ordre",
            "Fin",
            "Heures dues",
            "Heures validées",
            "Heures manquantes",
            "Pénalité par heure manquante",
            "Pénalité",
        ]
        return Table("marches-clos", "Marchés clos", headers, rows)


def summary(organisation, period):
    """Headline figures of the period (the summary API)."""
    return ActivityReport(organisation, period).summary()
