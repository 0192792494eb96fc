"""The two machines of information sessions, every (source, target, organisation) through what each uses: an
allowed move changes the state and writes one log row; a refused one changes nothing and says why in French."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.enums import OrganisationKind
from marketplace import sessions
from marketplace.enums import InvitationState, SessionState, SubmissionState
from marketplace.models import InformationSession, InformationSessionTransition, SessionInvitationTransition
from tests.marketplace.factories import (
    InformationSessionFactory,
    PositionFactory,
    SessionInvitationFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

IS = InvitationState
S = SubmissionState

# Who may take each move, written out here rather than read from the table under test.
ALLOWED = {
    (IS.INVITED, IS.CONFIRMED): "prescriber",
    (IS.INVITED, IS.DECLINED): "prescriber",
    (IS.CONFIRMED, IS.DECLINED): "prescriber",
    (IS.INVITED, IS.WITHDRAWN): "facilitator",
    (IS.CONFIRMED, IS.WITHDRAWN): "facilitator",
    (IS.CONFIRMED, IS.PRESENT): "facilitator",
    (IS.ABSENT, IS.PRESENT): "facilitator",
    (IS.CONFIRMED, IS.ABSENT): "facilitator",
    (IS.PRESENT, IS.PRESELECTED): "facilitator",
    (IS.PRESELECTED, IS.SENT): "facilitator",
    (IS.PRESENT, IS.NOT_RETAINED): "facilitator",
    (IS.PRESENT, IS.REDIRECTED): "facilitator",
}
# The person's submission where each invitation state leaves it.
SUBMISSION_AT = {IS.PRESELECTED: S.PRESELECTED, IS.SENT: S.SENT_TO_COMPANY, IS.NOT_RETAINED: S.REFUSED}
SUBMISSION_AT[IS.REDIRECTED] = S.REFUSED
# The submission's state after each move that moves it.
SUBMISSION_AFTER = {IS.PRESELECTED: S.PRESELECTED, IS.SENT: S.SENT_TO_COMPANY, IS.NOT_RETAINED: S.REFUSED}
SUBMISSION_AFTER[IS.REDIRECTED] = S.REFUSED
ROLES = ["prescriber", "other_prescriber", "company_user", "facilitator"]
PAYLOAD = {"reason": "Commentaire", "not_retained_reason": "profile_mismatch", "redirection": "training"}


@pytest.mark.parametrize("source", IS.values)
def test_every_invitation_move_by_every_organisation(
    request, api_as, source, prescriber_org, company_org, facilitator_org
):
    """From ``source``, each target tried by each role in turn, the allowed one last, on a session held today
    (planned again before each target: the answers need it)."""
    position = PositionFactory(company=company_org)
    session = InformationSessionFactory(today=True, positions=[position], organiser=facilitator_org)
    for target in IS.values:
        InformationSession.objects.filter(pk=session.pk).update(state=SessionState.PLANNED)
        submission = SubmissionFactory(
            candidate__prescriber=prescriber_org,
            position=position,
            state=SUBMISSION_AT.get(source, S.SUBMITTED),
            reached_company_at=session.starts_at if source == IS.SENT else None,
        )
        invitation = SessionInvitationFactory(
            session=session, candidate=submission.candidate, position=position, submission=submission, state=source
        )
        allowed = ALLOWED.get((source, target))
        for role in sorted(ROLES, key=lambda role: role == allowed):
            user = request.getfixturevalue(role)
            response = api_as(user).post(
                f"/api/v1/invitations/{invitation.pk}/transition/", {"target": target, **PAYLOAD}, format="json"
            )
            invitation.refresh_from_db()
            case = (source, target, role)
            if role == allowed:
                assert response.status_code == 200, (case, response.json())
                assert invitation.state == target
                log = SessionInvitationTransition.objects.get(invitation=invitation)
                assert (log.from_state, log.to_state, log.actor, log.organisation.kind, log.reason) == (
                    source,
                    target,
                    user,
                    role,
                    "Commentaire",
                )
                submission.refresh_from_db()
                assert submission.state == SUBMISSION_AFTER.get(target, SUBMISSION_AT.get(source, S.SUBMITTED))
                continue
            assert invitation.state == source, case
            assert not SessionInvitationTransition.objects.filter(invitation=invitation).exists(), case
            if role == "other_prescriber" or (role == "company_user" and source != IS.SENT):
                assert response.status_code == 404, case  # it does not even see the person
            elif response.status_code == 403:
                detail = response.json()["detail"]
                assert detail.endswith(("réservé à : facilitateur.", "réservé à : prescripteur.")), (case, detail)
            else:
                assert response.status_code == 400, case
                message = response.json()["non_field_errors"][0]
                assert message.startswith("Une invitation « "), (case, message)


SESSION_ALLOWED = {(SessionState.PLANNED, SessionState.CANCELLED): OrganisationKind.FACILITATOR}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(SessionState.values, SessionState.values)))
def test_every_session_move_by_every_organisation(request, source, target, organisations, facilitator):
    """Only the facilitator cancels a planned session; "held" follows from attendance, never asked for."""
    session = InformationSessionFactory(state=source, organiser=organisations["facilitator"])
    actor_of = {"facilitator": facilitator}
    allowed = SESSION_ALLOWED.get((source, target))
    for role in sorted(organisations, key=lambda role: organisations[role].kind == allowed):
        organisation = organisations[role]
        actor = actor_of.get(role) or request.getfixturevalue("buyer")
        try:
            sessions.move_session(session=session, target=target, actor=actor, organisation=organisation)
        except ValidationError as exc:
            refused, message = True, exc.messages[0]
        except PermissionDenied as exc:
            refused, message = True, str(exc)
        else:
            refused = False
        session.refresh_from_db()
        if refused:
            assert organisation.kind != allowed
            assert session.state == source
            assert not InformationSessionTransition.objects.filter(session=session).exists()
            assert message.startswith(
                ("Une information collective « ", "« Annuler la session » est réservé à : facilitateur.")
            ), message
        else:
            assert organisation.kind == allowed
            assert session.state == target
            assert InformationSessionTransition.objects.get(session=session).to_state == target
