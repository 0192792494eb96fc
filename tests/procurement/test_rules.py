"""The pure limits of ``procurement.rules`` (no database): working days, monthly caps, and the French
sentences every refusal is built from. The services, the demo seeder and ``check_integrity`` all call these."""

import datetime
from decimal import Decimal

import pytest

from procurement import rules
from procurement.enums import ContractState, Modality

D = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"), [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))]
)
def test_easter_sunday_matches_the_calendar(year, easter):
    assert rules.easter_sunday(year) == easter


def test_the_eleven_public_holidays_of_2026():
    assert sorted(rules.public_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),
        D(2026, 5, 8),
        D(2026, 5, 14),  # Ascension
        D(2026, 5, 25),  # Whit Monday
        D(2026, 7, 14),
        D(2026, 8, 15),
        D(2026, 11, 1),
        D(2026, 11, 11),
        D(2026, 12, 25),
    ]


@pytest.mark.parametrize(
    ("month", "days"),
    [
        (D(2026, 3, 1), 22),  # no holiday
        (D(2026, 5, 1), 17),  # 21 weekdays minus 1 and 8 May, Ascension, Whit Monday
        (D(2026, 8, 1), 21),  # 15 August is a Saturday: nothing to take off
        (D(2024, 2, 1), 21),  # leap year
    ],
)
def test_working_days_are_weekdays_minus_public_holidays(month, days):
    assert rules.working_days(month, rules.last_of_month(month)) == days


def test_the_cap_of_a_month_reads_as_the_issue_asks():
    cap = rules.monthly_cap(
        month=D(2026, 3, 1), weekly_hours=28, starts_on=D(2025, 1, 6), ends_on=None, tolerance_percent=10
    )
    # 28 h × 1.10 × 22 ÷ 5 = 135.52, rounded down to the tenth.
    assert cap.hours == Decimal("135.5")
    assert cap.describe() == (
        "135,5 h au plus pour mars 2026 : 28 h par semaine, 22 jours ouvrés, 10\xa0% d'heures en plus tolérées"
    )
    assert rules.check_monthly_total(Decimal("135.5"), cap) is None
    assert rules.check_monthly_total(Decimal("135.6"), cap) == (
        "135,5 h au plus pour mars 2026 : 28 h par semaine, 22 jours ouvrés, 10\xa0% d'heures en plus tolérées ; "
        "135,6 h déclarées pour ce mois."
    )


def test_only_the_working_days_within_the_placement_count():
    # Starts on Monday 16 March 2026: 12 working days left in the month.
    cap = rules.monthly_cap(
        month=D(2026, 3, 1), weekly_hours=35, starts_on=D(2026, 3, 16), ends_on=None, tolerance_percent=0
    )
    assert (cap.working_days, cap.hours) == (12, Decimal("84.0"))
    # Ends on Friday 6 March: 5 working days.
    cap = rules.monthly_cap(
        month=D(2026, 3, 1), weekly_hours=35, starts_on=D(2025, 1, 1), ends_on=D(2026, 3, 6), tolerance_percent=0
    )
    assert (cap.working_days, cap.hours) == (5, Decimal("35.0"))


def test_the_tolerance_never_goes_beyond_the_legal_48_hours_a_week():
    cap = rules.monthly_cap(
        month=D(2026, 3, 1), weekly_hours=45, starts_on=D(2025, 1, 1), ends_on=None, tolerance_percent=10
    )
    # 45 × 1.10 = 49.5 h a week: capped at 48 h, × 22 ÷ 5.
    assert cap.hours == Decimal("211.2")
    assert "plafonné à 48 h par semaine (durée maximale légale)" in cap.describe()


@pytest.mark.parametrize(
    ("month", "error"),
    [
        (D(2023, 12, 1), "Le marché s'exécute du 15/01/2024 au 31/12/2026 : aucune heure pour décembre 2023."),
        (D(2024, 1, 1), None),  # the notification month
        (D(2026, 12, 1), None),  # the last month
        (D(2027, 1, 1), "Le marché s'exécute du 15/01/2024 au 31/12/2026 : aucune heure pour janvier 2027."),
    ],
)
def test_contract_months(month, error):
    assert rules.check_contract_month(month, starts_on=D(2024, 1, 15), ends_on=D(2026, 12, 31)) == error


def test_a_contract_without_any_start_takes_no_hours():
    assert "ni date de notification ni début d'exécution" in rules.check_contract_month(
        D(2024, 1, 1), starts_on=None, ends_on=None
    )


def test_no_future_month():
    today = D(2026, 3, 31)
    assert rules.check_not_future(D(2026, 3, 1), today) is None
    assert (
        rules.check_not_future(D(2026, 4, 1), today) == "On ne déclare pas les heures d'un mois à venir (avril 2026)."
    )


def test_modalities():
    allowed = [Modality.DIRECT_HIRE, Modality.ETTI]
    assert rules.check_modality(Modality.ETTI, allowed) is None
    assert rules.check_modality(Modality.TRAINING, allowed) == (
        "Le marché n'autorise pas la modalité « Formation préalable à l'embauche » "
        "(modalités autorisées : Embauche directe, Mise à disposition par une ETTI)."
    )
    assert rules.check_modality(Modality.TRAINING, []) is None  # none listed: all allowed


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (Decimal("0"), "Le taux d'insertion s'exprime en pourcentage, au-dessus de 0 et au plus 100 (0 saisi)."),
        (Decimal("0.01"), None),
        (Decimal("100"), None),
        (Decimal("500"), "Le taux d'insertion s'exprime en pourcentage, au-dessus de 0 et au plus 100 (500 saisi)."),
    ],
)
def test_rates_are_percentages(value, error):
    assert rules.check_percent(value, "Le taux d'insertion") == error


def test_over_delivery_is_shown_as_such():
    assert rules.progress_label(112) == "112\xa0% — objectif dépassé"
    assert rules.progress_label(100) == "100\xa0% — objectif atteint"
    assert rules.progress_label(Decimal("87.45")) == "87,5\xa0%"


def test_an_order_over_its_planned_hours_is_a_warning_not_a_refusal():
    bounds = rules.Bounds(
        contract_state=ContractState.IN_PROGRESS,
        contract_starts_on=D(2025, 1, 1),
        contract_ends_on=D(2026, 12, 31),
        allowed_modalities=(),
        modality=Modality.SIAE_SUBCONTRACTING,
        starts_on=D(2025, 3, 1),
        ends_on=D(2025, 6, 30),
        planned_hours=400,
    )
    checked = rules.check_month(
        bounds, D(2025, 6, 1), month_total=150, source_total=450, today=D(2026, 1, 1), tolerance_percent=10
    )
    assert checked.errors == {}
    assert checked.warning == "Au-delà des heures prévues de la commande : 450 h déclarées pour 400 h prévues."
    assert (
        checked.limit == "Commande du 01/03/2025 au 30/06/2025 : 400 h prévues, 450 h déclarées en tout avec celles-ci."
    )
    checked = rules.check_month(
        bounds, D(2025, 7, 1), month_total=10, source_total=410, today=D(2026, 1, 1), tolerance_percent=10
    )
    assert checked.errors == {
        "month": "La commande court du 01/03/2025 au 30/06/2025 : aucune heure pour juillet 2025."
    }
