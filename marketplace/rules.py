"""Rules about people, as pure functions of plain values (no database), shared by the services, the demo
seeder and ``check_integrity`` like ``procurement.rules``: each returns ``None`` or the refusal in French."""

import datetime
from decimal import Decimal

from marketplace.enums import Level2Criterion
from procurement.rules import LEGAL_MAX_WEEKLY_HOURS, date_label, hours_label


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_age_criteria(codes, *, birth_date, on_day):
    """Age criteria follow the birth date: « senior » from 50 years old (the IAE rule: 50 or more), « jeune »
    under 26, on the day they are declared or verified."""
    age = age_on(birth_date, on_day)
    said = f"la personne a {age} ans au {date_label(on_day)}"
    if Level2Criterion.OVER_50 in codes and age < 50:
        return f"Le critère « {Level2Criterion.OVER_50.label} » suppose 50 ans ou plus : {said}."
    if Level2Criterion.UNDER_26 in codes and age >= 26:
        return f"Le critère « {Level2Criterion.UNDER_26.label} » suppose moins de 26 ans : {said}."
    return None


# The people Passerelle serves are of working age: from 16 (end of compulsory schooling) and, generously, under
# 100. Consents are collected under the GDPR text, in force since 25 May 2018, and never in the future.
MIN_AGE, MAX_AGE = 16, 100
GDPR_IN_FORCE = datetime.date(2018, 5, 25)


def check_birth_date(birth_date, *, today):
    age = age_on(birth_date, today)
    if not MIN_AGE <= age < MAX_AGE:
        return (
            f"Date de naissance peu plausible ({date_label(birth_date)}) : la personne aurait {age} ans, "
            f"Passerelle accompagne des personnes de {MIN_AGE} à {MAX_AGE - 1} ans."
        )
    return None


def check_consent_date(consent_day, *, today):
    if consent_day > today:
        return f"La date du consentement ({date_label(consent_day)}) est dans le futur."
    if consent_day < GDPR_IN_FORCE:
        return (
            f"La date du consentement ({date_label(consent_day)}) précède le RGPD ({date_label(GDPR_IN_FORCE)}) : "
            "recueillez à nouveau le consentement de la personne."
        )
    return None


def overlaps(start, end, other_start, other_end):
    """Two periods (an end of None: open-ended) share at least one day."""
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


def check_concurrent_hours(weekly_hours, others):
    """A person's placements at the same time never add up to more than the legal 48 h a week: at most one
    full-time job at a time. ``others``: (number, weekly hours) of their other placements over the period."""
    total = Decimal(weekly_hours) + sum((Decimal(hours) for _, hours in others), Decimal(0))
    if others and total > LEGAL_MAX_WEEKLY_HOURS:
        numbers = ", ".join(f"n° {number}" for number, _ in others)
        return (
            f"Cette personne travaille déjà {hours_label(total - Decimal(weekly_hours))} h par semaine sur la même "
            f"période (mise à l'emploi {numbers}) : avec {hours_label(weekly_hours)} h de plus, elle dépasserait "
            f"la durée maximale légale de {hours_label(LEGAL_MAX_WEEKLY_HOURS)} h par semaine."
        )
    return None
