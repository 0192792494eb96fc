"""Who may do what: the one table of role rules, read by page views (``organisation_required``)
and by the API (``CanPerform``).

Object visibility (which contracts, candidates, submissions an organisation may see at all) lives in
each model's ``visible_to(organisation)`` queryset, and those querysets ask this module for the rules
they share (``sees_everything``). Field visibility of personal data is decided by
``can_see_eligibility``.
"""

import functools

from django.conf import settings
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from accounts.enums import OrganisationKind as Kind

# action -> organisation kinds allowed to perform it.
RULES = {
    # A buyer registers its own contracts; the facilitator may do it for a buyer.
    "contract.create": {Kind.BUYER, Kind.FACILITATOR},
    "contract.import_decp": {Kind.BUYER, Kind.FACILITATOR},
    # Only the facilitator sizes the clause for good and sets per-sector defaults.
    "contract.confirm_hours": {Kind.FACILITATOR},
    "clause_settings.edit": {Kind.FACILITATOR},
    # The winning company posts positions and declares hours; it records its SIAE orders.
    "position.manage": {Kind.COMPANY},
    "hours.declare": {Kind.COMPANY},
    "siae_order.manage": {Kind.COMPANY},
    # Prescribers keep pools of candidates and submit them.
    "candidate.manage": {Kind.PRESCRIBER},
    "submission.create": {Kind.PRESCRIBER},
    # The facilitator alone validates what public money is counted on.
    "eligibility.check": {Kind.FACILITATOR},
    "placement.validate": {Kind.FACILITATOR},
    # Submissions stuck at a stage and placements' outcomes to record.
    "follow_up.read": {Kind.FACILITATOR},
    "hours.validate": {Kind.FACILITATOR},
    "reports.all": {Kind.FACILITATOR},
    "audit.read": {Kind.FACILITATOR},
    # A person's own data (GDPR right of access): the facilitator and the prescriber following them
    # export it (see ``can_export_personal_data``); erasure on request is the facilitator's alone.
    "personal_data.export": {Kind.PRESCRIBER, Kind.FACILITATOR},
    "personal_data.erase": {Kind.FACILITATOR},
    # Aggregated reports on one's own contracts.
    "reports.own": {Kind.BUYER, Kind.FACILITATOR},
    # The matcher's proposals: a prescriber for its own pool, the facilitator for every pool; only the
    # facilitator asks a prescriber to submit someone and reads the matcher's fairness report.
    "matching.read": {Kind.PRESCRIBER, Kind.FACILITATOR},
    "matching.ask_prescriber": {Kind.FACILITATOR},
    "matching.fairness": {Kind.FACILITATOR},
    # The SIAE directory is open to every logged-in organisation.
    "siae_directory.read": set(Kind),
}


def can(organisation, action):
    """True when the organisation's kind may perform ``action`` (see ``RULES``)."""
    if action not in RULES:
        raise KeyError(f"Unknown permission action {action!r}")
    return organisation is not None and organisation.kind in RULES[action]


def sees_everything(organisation):
    """The facilitator is everyone's single contact: it sees every record, personal data included."""
    return organisation is not None and organisation.kind == Kind.FACILITATOR


def can_see_eligibility(organisation, prescriber_id):
    """Eligibility criteria and situation are seen by the facilitator and the candidate's own
    prescriber only: never by companies, buyers or SIAE."""
    return sees_everything(organisation) or (
        organisation is not None and organisation.kind == Kind.PRESCRIBER and organisation.pk == prescriber_id
    )


def reads_proofs_of(organisation, company_id):
    """A proof of hours (pay slip, timesheet, invoice) names a person and their pay: the facilitator, who
    checks it, and the company that declared it read it; nobody else, not even the buyer of the contract
    nor the SIAE of the order, who see the hours."""
    return sees_everything(organisation) or (organisation is not None and organisation.pk == company_id)


def can_export_personal_data(organisation, candidate):
    """A person's whole record, as they may ask for it, goes to the facilitator or to the prescriber
    that follows them: the ones who hand it over to the person."""
    return can(organisation, "personal_data.export") and (
        sees_everything(organisation) or organisation.pk == candidate.prescriber_id
    )


def names_people_in_exports(organisation):
    """Files listing people (placements) name them for the facilitator only: a file travels, so every
    other organisation gets a stable pseudonym instead (``marketplace.personal_data.pseudonym``)."""
    return sees_everything(organisation)


def mfa_recommended(organisations):
    """Two-factor authentication is recommended to the facilitator's staff, whatever organisation they act
    for: they see everyone's personal data and validate what public money is counted on."""
    return any(organisation.kind == Kind.FACILITATOR for organisation in organisations)


def mfa_required(organisations):
    """...and required of them when ``settings.FACILITATOR_MFA_REQUIRED`` is on."""
    return settings.FACILITATOR_MFA_REQUIRED and mfa_recommended(organisations)


def organisation_required(action=None):
    """View decorator: the user must act for a current organisation allowed to perform ``action``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            organisation = request.organisation
            if organisation is None:
                raise PermissionDenied("Vous devez appartenir à une organisation pour accéder à cette page.")
            if action is not None and not can(organisation, action):
                raise PermissionDenied("Votre organisation n'a pas accès à cette action.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class CanPerform(BasePermission):
    """DRF permission: ``permission_classes = [CanPerform.to("contract.create")]``."""

    action = None
    message = "Votre organisation n'a pas accès à cette action."

    @classmethod
    def to(cls, action):
        if action not in RULES:
            raise KeyError(f"Unknown permission action {action!r}")
        return type(f"CanPerform_{action.replace('.', '_')}", (cls,), {"action": action})

    def has_permission(self, request, view):
        return can(request.organisation, self.action)


class HasOrganisation(BasePermission):
    message = "Vous devez appartenir à une organisation."

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.organisation is not None
