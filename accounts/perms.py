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

# action -> organisation kinds allowed to perform it. The transitions of the state machines (each app's
# ``workflows.py``) name their rule here; the organisation must also be concerned by the object (``can_act``).
RULES = {
    # A buyer registers its own contracts and moves them through their life; the facilitator may do it for a
    # buyer, and alone sends a submitted contract back to draft and sizes the clause for good.
    "contract.create": {Kind.BUYER, Kind.FACILITATOR},
    "contract.import_decp": {Kind.BUYER, Kind.FACILITATOR},
    "contract.submit": {Kind.BUYER, Kind.FACILITATOR},
    "contract.send_back": {Kind.FACILITATOR},
    "contract.confirm_hours": {Kind.FACILITATOR},
    "contract.award": {Kind.BUYER, Kind.FACILITATOR},
    "contract.start": {Kind.BUYER, Kind.FACILITATOR},
    "contract.close": {Kind.BUYER, Kind.FACILITATOR},
    "clause_settings.edit": {Kind.FACILITATOR},
    # The winning company posts positions (drafts, publishes, closes, reopens) and declares hours; it records
    # its SIAE orders.
    "position.manage": {Kind.COMPANY},
    "hours.declare": {Kind.COMPANY},
    "siae_order.manage": {Kind.COMPANY},
    # Prescribers keep pools of candidates, submit them and may withdraw them at any active stage.
    "candidate.manage": {Kind.PRESCRIBER},
    "submission.create": {Kind.PRESCRIBER},
    "submission.withdraw": {Kind.PRESCRIBER},
    # The facilitator preselects submissions, hands them to the company or refuses them before it does.
    "submission.preselect": {Kind.FACILITATOR},
    "submission.send": {Kind.FACILITATOR},
    "submission.screen_out": {Kind.FACILITATOR},
    # The company interviews and hires; it, or the facilitator, refuses once the company has the submission.
    "submission.interview": {Kind.COMPANY},
    "submission.hire": {Kind.COMPANY},
    "submission.refuse": {Kind.FACILITATOR, Kind.COMPANY},
    # Information sessions (*informations collectives*): the facilitator plans them (and cancels), invites
    # people from the submissions and the matcher's proposals, and records who came and what came of it;
    # each invitation goes to the person's prescriber, who answers for them and may sign up its own people.
    "session.plan": {Kind.FACILITATOR},
    "session.invite": {Kind.FACILITATOR},
    "session.register": {Kind.PRESCRIBER},
    "session.answer": {Kind.PRESCRIBER},
    "session.attendance": {Kind.FACILITATOR},
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
    # Organisations registered on the site, and requests to join one, wait for the facilitator's decision.
    "organisations.decide": {Kind.FACILITATOR},
    # The SIAE directory's API is open to every organisation (its pages to anyone: procurement.views).
    "siae_directory.read": set(Kind),
    # Orders to SIAE: the SIAE receiving them, the company placing them, the buyer of the contract, the facilitator.
    "siae_order.read": {Kind.BUYER, Kind.COMPANY, Kind.SIAE, Kind.FACILITATOR},
}


def can(organisation, action):
    """True when the organisation's kind may perform ``action`` (see ``RULES``)."""
    if action not in RULES:
        raise KeyError(f"Unknown permission action {action!r}")
    return organisation is not None and organisation.kind in RULES[action]


def can_act(organisation, action, *, parties):
    """``can``, on one object: the facilitator acts on every object, another organisation only on those that
    concern it (``parties``: ids of the organisations the object belongs to, given by its workflow)."""
    return can(organisation, action) and (sees_everything(organisation) or organisation.pk in parties)


def kinds_display(action):
    """The kinds of organisation allowed to perform ``action``, in French, for refusal messages."""
    return ", ".join(sorted(str(Kind(kind).label).lower() for kind in RULES[action]))


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


def can_read_prescriber_notes(organisation, prescriber_id):
    """What the prescriber writes about a person it submits (its message, the notes of the submission's history
    before it reached the company) may speak of their situation (disability, RSA): read by the facilitator and
    that prescriber only, never by the company, on the page as in the API (``Submission.note_for``,
    ``Submission.history_for``)."""
    return can_see_eligibility(organisation, prescriber_id)


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
