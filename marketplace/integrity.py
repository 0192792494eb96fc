"""What ``check_integrity`` verifies about people and the ledger lines they open, with the rules of
``marketplace.rules`` (the ledger's own checks are ``procurement.integrity``)."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone

from marketplace import rules
from marketplace.enums import PlacementState
from marketplace.models import Candidate, EligibilityCheck, Placement
from procurement.integrity import Violation
from procurement.models import HoursSource


def sources_without_origin(today):
    """Every line of the ledger comes from a validated placement or an SIAE order: anything else is hours no
    user could have declared."""
    rule = "Source d'heures sans mise à l'emploi ni commande"
    rows = HoursSource.objects.filter(placement__isnull=True, siae_order__isnull=True).values_list("pk", "label")
    for pk, label in rows.order_by("pk"):
        yield Violation(rule, f"source d'heures n° {pk}", f"« {label} » ne vient d'aucune mise à l'emploi validée.")


def sources_matching_placements(today):
    """The ledger's copy of a placement's dates and weekly hours (its limits) matches the placement."""
    rule = "Limites d'une source différentes de sa mise à l'emploi"
    rows = (
        Placement.objects.exclude(hours_source=None)
        .values_list(
            "pk",
            "hours_source_id",
            "start_date",
            "planned_end_date",
            "weekly_hours",
            "hours_source__starts_on",
            "hours_source__ends_on",
            "hours_source__weekly_hours",
        )
        .order_by("pk")
    )
    for pk, source_id, start, end, weekly, source_start, source_end, source_weekly in rows:
        if (start, end, weekly) != (source_start, source_end, source_weekly):
            yield Violation(
                rule,
                f"mise à l'emploi n° {pk}",
                f"La source n° {source_id} retient {source_start} → {source_end}, {source_weekly} h par semaine ; "
                f"la mise à l'emploi court {start} → {end}, {weekly} h par semaine.",
            )


def concurrent_placements(today):
    """At most 48 h a week across a person's placements at the same time (one full-time job at a time), in
    the order they were validated."""
    rule = "Plus de 48 h par semaine pour une même personne"
    by_person = defaultdict(list)
    for row in (
        Placement.objects.filter(state=PlacementState.VALIDATED)
        .values_list("submission__candidate_id", "pk", "start_date", "planned_end_date", "weekly_hours")
        .order_by("submission__candidate_id", "pk")
    ):
        by_person[row[0]].append(row[1:])
    for placements in by_person.values():
        for index, (pk, start, end, weekly) in enumerate(placements):
            others = [
                (other, hours)
                for other, other_start, other_end, hours in placements[:index]
                if rules.overlaps(start, end, other_start, other_end)
            ]
            error = rules.check_concurrent_hours(weekly, others)
            if error:
                yield Violation(rule, f"mise à l'emploi n° {pk}", error)


def age_criteria(today):
    """Age criteria verified or declared consistently with the birth date, on the day they were."""
    rule = "Critère d'âge incohérent avec la date de naissance"
    checks = EligibilityCheck.objects.values_list("pk", "criteria", "checked_at", "candidate__birth_date")
    for pk, criteria, checked_at, birth_date in checks.order_by("pk").iterator(chunk_size=5000):
        codes = [item.get("criterion") for item in criteria]
        error = rules.check_age_criteria(codes, birth_date=birth_date, on_day=timezone.localdate(checked_at))
        if error:
            yield Violation(rule, f"vérification d'éligibilité n° {pk}", error)
    for pk, codes, updated_at, birth_date in (
        Candidate.objects.filter(anonymised_at=None)
        .values_list("pk", "level2_criteria", "updated_at", "birth_date")
        .order_by("pk")
    ):
        error = rules.check_age_criteria(codes or [], birth_date=birth_date, on_day=timezone.localdate(updated_at))
        if error:
            yield Violation(rule, f"candidat n° {pk} (critères déclarés)", error)


def person_dates(today):
    """Birth and consent dates a person could have: of working age and consented under the GDPR, never after the
    day the record was written."""
    rule = "Date de naissance ou de consentement impossible"
    rows = (
        Candidate.objects.filter(anonymised_at=None)
        .values_list("pk", "birth_date", "consent_at", "updated_at")
        .order_by("pk")
        .iterator(chunk_size=5000)
    )
    for pk, birth_date, consent_at, updated_at in rows:
        written_on = timezone.localdate(updated_at)
        for error in (
            rules.check_birth_date(birth_date, today=written_on),
            consent_at and rules.check_consent_date(timezone.localdate(consent_at), today=written_on),
        ):
            if error:
                yield Violation(rule, f"candidat n° {pk}", error)


def placements_without_eligibility(today):
    """A validated placement had a valid eligibility check on its hiring date."""
    rule = "Mise à l'emploi validée sans éligibilité vérifiée à l'embauche"
    valid = EligibilityCheck.objects.filter(
        candidate_id=OuterRef("submission__candidate_id"),
        is_eligible=True,
        checked_at__date__lte=OuterRef("hired_on"),
        valid_until__gte=OuterRef("hired_on"),
    )
    rows = (
        Placement.objects.filter(state=PlacementState.VALIDATED)
        .filter(~Exists(valid))
        .values_list("pk", "hired_on")
        .order_by("pk")
    )
    for pk, hired_on in rows:
        yield Violation(rule, f"mise à l'emploi n° {pk}", f"Aucune vérification valide au {hired_on:%d/%m/%Y}.")


CHECKS = [
    sources_without_origin,
    sources_matching_placements,
    concurrent_placements,
    age_criteria,
    person_dates,
    placements_without_eligibility,
]


def violations(today):
    for check in CHECKS:
        yield from check(today)
