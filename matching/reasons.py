"""Reasons in French for a proposal, read from the same features the score uses."""

import datetime

from common.formats import number
from matching.features import FULL_TIME_HOURS, INDEX
from matching.occupations import CONTENT_SHARE, EXPERT_FLOOR

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
# Proximity from content alone is scaled by CONTENT_SHARE: this is a content similarity of 0.5.
PROXIMITY_REASON = 0.5 * CONTENT_SHARE
EXPERT_REASON = "métier proche selon France Travail"
CONTENT_REASON = "compétences proches d'un métier recherché"
COVERAGE_REASON = 0.3


def decimal_fr(value, digits=1):
    """3.25 → "3,3", 2.0 → "2": French, as every number of the site (``common.formats.number``)."""
    return number(value, digits)


def plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


def date_fr(day, today):
    text = f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


def reasons(features, *, available_from, licence_required, today, distance_phrase="habite à {km} km"):
    """``features`` is one row of ``matching.features.FEATURES``."""
    out = []
    if features[INDEX["same_occupation"]]:
        out.append("même métier recherché")
    elif features[INDEX["occupation_proximity"]] >= EXPERT_FLOOR:
        out.append(f"{EXPERT_REASON} d'un métier recherché")
    elif features[INDEX["occupation_proximity"]] >= PROXIMITY_REASON:
        out.append(CONTENT_REASON)
    common = int(features[INDEX["common_skills"]])
    if common:
        out.append(f"{plural(common, 'compétence')} en commun")
    elif features[INDEX["sought_skill_coverage"]] >= COVERAGE_REASON and not features[INDEX["same_occupation"]]:
        share = round(100 * float(features[INDEX["sought_skill_coverage"]]))
        out.append(f"{share} % des compétences du poste dans un métier recherché")
    out.append(distance_phrase.format(km=decimal_fr(float(features[INDEX["distance_km"]]))))
    if available_from > today:
        out.append(f"disponible dès le {date_fr(available_from, today)}")
    else:
        out.append("disponible dès maintenant")
    if licence_required:
        out.append("permis B demandé : oui")
    if features[INDEX["contract_type_mismatch"]]:
        out.append("type de contrat non souhaité")
    hours_gap = round(float(features[INDEX["weekly_hours_gap"]]) * FULL_TIME_HOURS)
    if hours_gap:
        out.append(f"écart de {hours_gap} h par semaine avec les horaires souhaités")
    for name, what in (("qualification_gap", "qualification"), ("french_gap", "français")):
        gap = int(features[INDEX[name]])
        if gap:
            out.append(f"{what} : {plural(gap, 'niveau')} en dessous du niveau demandé")
    return out


def from_ordinal(value):
    return datetime.date.fromordinal(int(value))
