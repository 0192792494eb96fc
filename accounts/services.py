"""Workflows on accounts and organisations: API tokens and sessions, creating an organisation, inviting into it,
joining it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts import perms
from accounts.enums import OrganisationKind, OrganisationStatus
from accounts.models import Invitation, JoinRequest, Membership, Organisation


def issue_api_token(*, user):
    """A new token (knox: only its hash is stored), valid ``REST_KNOX["TOKEN_TTL"]``. Returns the stored row
    and the token itself, which is shown once and never again."""
    return AuthToken.objects.create(user=user)


def revoke_api_token(*, user, token_key):
    """Ends one of the person's own tokens, named by its first characters (all a page ever shows)."""
    deleted, _ = user.api_tokens().filter(token_key=token_key).delete()
    if not deleted:
        raise ValidationError("Ce jeton n'existe plus : il a déjà expiré ou été révoqué.")


@transaction.atomic
def end_every_session(*, user):
    """ "Log out everywhere": every session of the person (this one included) and every API token end."""
    user.end_every_session()


@transaction.atomic
def create_organisation(*, user, form):
    """A person registers their organisation and becomes its first admin. It acts once the facilitator has
    approved it (``decide_organisation``): whoever registers a company's SIRET first must not receive its contracts.
    The facilitator's organisation is created by the staff only, never self-declared."""
    organisation = form.save(commit=False)
    if organisation.kind == OrganisationKind.FACILITATOR:
        raise PermissionDenied("Une organisation facilitatrice est créée par l'équipe Passerelle.")
    organisation.status = OrganisationStatus.PENDING
    organisation.save()
    Membership.objects.create(user=user, organisation=organisation, is_admin=True)
    return organisation


@transaction.atomic
def request_to_join(*, user, organisation):
    """Instead of registering a twin of an organisation already on Passerelle, a person asks to join it."""
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError("Vous êtes déjà membre de cette organisation.")
    if organisation.kind == OrganisationKind.FACILITATOR:
        raise PermissionDenied("On rejoint l'organisation facilitatrice sur invitation seulement.")
    join_request, _ = JoinRequest.objects.get_or_create(
        user=user, organisation=organisation, status=OrganisationStatus.PENDING
    )
    return join_request


def _decision(decision):
    if decision not in {OrganisationStatus.APPROVED, OrganisationStatus.REFUSED}:
        raise ValidationError({"decision": "Choisissez de valider ou de refuser."})
    return OrganisationStatus(decision)


def _tell(*, recipients, subject, template, context):
    transaction.on_commit(
        lambda: send_mail(
            subject=f"[Passerelle] {subject}",
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=recipients,
        )
    )


@transaction.atomic
def decide_organisation(*, organisation, decision, actor, acting_for):
    """The facilitator approves a self-registered organisation (it acts from now on) or refuses it (it never
    acts); its admins are told by email."""
    if not perms.can(acting_for, "organisations.decide"):
        raise PermissionDenied("Seul le facilitateur valide les organisations.")
    decision = _decision(decision)
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    if organisation.status != OrganisationStatus.PENDING:
        raise ValidationError("Cette organisation a déjà fait l'objet d'une décision.")
    organisation.status, organisation.decided_by, organisation.decided_at = decision, actor, timezone.now()
    organisation.save(update_fields=["status", "decided_by", "decided_at"])
    admins = [m.user.email for m in organisation.memberships.filter(is_admin=True).select_related("user")]
    _tell(
        recipients=admins,
        subject=f"{organisation.name} : {decision.label.lower()} par le facilitateur",
        template="accounts/email/organisation_decision.txt",
        context={"organisation": organisation, "approved": decision == OrganisationStatus.APPROVED},
    )
    return organisation


@transaction.atomic
def decide_join_request(*, join_request, decision, actor, acting_for):
    """The facilitator lets a person join an organisation (as a member, not an admin) or refuses."""
    if not perms.can(acting_for, "organisations.decide"):
        raise PermissionDenied("Seul le facilitateur décide des demandes d'adhésion.")
    decision = _decision(decision)
    join_request = JoinRequest.objects.select_for_update(of=("self",)).get(pk=join_request.pk)
    if join_request.status != OrganisationStatus.PENDING:
        raise ValidationError("Cette demande a déjà fait l'objet d'une décision.")
    join_request.status, join_request.decided_by, join_request.decided_at = decision, actor, timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    approved = decision == OrganisationStatus.APPROVED
    if approved:
        Membership.objects.get_or_create(user=join_request.user, organisation=join_request.organisation)
    _tell(
        recipients=[join_request.user.email],
        subject=f"Votre demande pour rejoindre {join_request.organisation.name}",
        template="accounts/email/join_request_decision.txt",
        context={"join_request": join_request, "approved": approved},
    )
    return join_request


def is_admin(user, organisation):
    return Membership.objects.filter(user=user, organisation=organisation, is_admin=True).exists()


@transaction.atomic
def invite(*, organisation, email, invited_by, request):
    if not is_admin(invited_by, organisation):
        raise PermissionDenied("Seuls les administrateurs de l'organisation peuvent inviter.")
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError("Cette personne est déjà membre de l'organisation.")
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=invited_by)
    url = request.build_absolute_uri(reverse("accounts:accept_invitation", args=[invitation.token]))
    context = {"invitation": invitation, "url": url}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"[Passerelle] Invitation à rejoindre {organisation.name}",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


def invitation_problem(*, invitation, user):
    """Why ``user`` may not accept ``invitation``, in French, or None when they may."""
    if not invitation.is_usable:
        return "Cette invitation a expiré ou a déjà été utilisée : demandez-en une nouvelle à l'organisation."
    if user.email.lower() != invitation.email.lower():
        return (
            f"Cette invitation a été envoyée à {invitation.email} : connectez-vous avec cette adresse pour l'accepter."
        )
    return None


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Joins the organisation. The invitation is bound to one email, so a forwarded link is useless."""
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    problem = invitation_problem(invitation=invitation, user=user)
    if problem:
        raise ValidationError(problem)
    membership, _ = Membership.objects.get_or_create(user=user, organisation=invitation.organisation)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership
