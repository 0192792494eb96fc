from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import perms, services
from accounts.current import SESSION_KEY
from accounts.enums import OrganisationKind, OrganisationStatus
from accounts.forms import DecisionForm, InvitationForm, OrganisationForm
from accounts.models import Invitation, JoinRequest, Membership, Organisation
from accounts.perms import organisation_required
from common.dashboard import work_items


@login_not_required
def home(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    return render(request, "pages/home.html")


def dashboard(request):
    """Each role lands on its own dashboard; a person without organisation is asked to create or join one, or
    sees where their requests stand."""
    if request.organisation is None:
        if request.pending_organisations or request.user.join_requests.pending().exists():
            return redirect("accounts:pending")
        return redirect("accounts:create_organisation")
    suggest_mfa = perms.mfa_recommended(request.user_organisations) and not is_mfa_enabled(
        request.user, [Authenticator.Type.TOTP]
    )
    return render(
        request,
        f"dashboards/{request.organisation.kind}.html",
        {
            "organisation": request.organisation,
            "suggest_mfa": suggest_mfa,
            "work_items": work_items(request.organisation),
        },
    )


def create_organisation(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(user=request.user, form=form)
        messages.success(
            request,
            f"L'organisation « {organisation.name} » est enregistrée, vous en êtes administrateur : elle pourra agir "
            "sur Passerelle dès que le facilitateur l'aura validée (vous recevrez un e-mail).",
        )
        return redirect("accounts:pending")
    return render(
        request, "accounts/create_organisation.html", {"form": form, "existing": getattr(form, "existing", None)}
    )


@require_POST
def join_organisation(request):
    """Asks to join the organisation already registered under the SIRET the person typed."""
    siret = "".join(request.POST.get("siret", "").split())
    organisation = get_object_or_404(
        Organisation.objects.approved().exclude(kind=OrganisationKind.FACILITATOR), siret=siret
    )
    try:
        services.request_to_join(user=request.user, organisation=organisation)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
        return redirect("accounts:dashboard")
    messages.success(
        request,
        f"Votre demande pour rejoindre « {organisation.name} » est transmise au facilitateur : "
        "vous recevrez un e-mail dès qu'il l'aura examinée.",
    )
    return redirect("accounts:pending")


def pending(request):
    """Where a person's organisations and requests to join one stand, while the facilitator has not decided."""
    context = {
        "organisations": request.pending_organisations,
        "join_requests": request.user.join_requests.pending().select_related("organisation"),
    }
    return render(request, "accounts/pending.html", context)


@organisation_required("organisations.decide")
def decisions(request):
    """The facilitator's list of organisations registered on the site and requests to join one, to decide."""
    context = {
        "organisations": Organisation.objects.pending()
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("user")))
        .order_by("created_at"),
        "join_requests": JoinRequest.objects.pending().select_related("user", "organisation"),
        "form": DecisionForm(),
    }
    return render(request, "accounts/decisions.html", context)


@require_POST
@organisation_required("organisations.decide")
def decide(request, kind, pk):
    """Records the facilitator's decision on one organisation (``kind="organisation"``) or join request
    (``kind="adhesion"``)."""
    if kind not in {"organisation", "adhesion"}:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez de valider ou de refuser.")
        return redirect("accounts:decisions")
    decision = form.cleaned_data["decision"]
    try:
        if kind == "organisation":
            organisation = get_object_or_404(Organisation, pk=pk)
            services.decide_organisation(
                organisation=organisation, decision=decision, actor=request.user, acting_for=request.organisation
            )
            label = f"L'organisation « {organisation.name} »"
        else:
            join_request = get_object_or_404(JoinRequest.objects.select_related("user", "organisation"), pk=pk)
            services.decide_join_request(
                join_request=join_request, decision=decision, actor=request.user, acting_for=request.organisation
            )
            label = f"La demande de {join_request.user} pour « {join_request.organisation.name} »"
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
    else:
        verdict = "validée" if decision == OrganisationStatus.APPROVED else "refusée"
        messages.success(request, f"{label} est {verdict}.")
    return redirect("accounts:decisions")


@require_POST
def switch_organisation(request):
    """Changes the organisation the user acts for; only one of their own."""
    organisation_id = request.POST.get("organisation", "")
    membership = get_object_or_404(
        Membership.objects.select_related("organisation").filter(organisation__status=OrganisationStatus.APPROVED),
        user=request.user,
        organisation_id=int(organisation_id) if organisation_id.isdigit() else None,
    )
    request.session[SESSION_KEY] = membership.organisation_id
    messages.info(request, f"Vous agissez maintenant pour « {membership.organisation.name} ».")
    next_url = request.POST.get("next")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("accounts:dashboard")


@organisation_required()
def members(request):
    organisation = request.organisation
    is_admin = services.is_admin(request.user, organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("Seuls les administrateurs de l'organisation peuvent inviter.")
        if form.is_valid():
            try:
                invitation = services.invite(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    invited_by=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("email", exc)
            else:
                messages.success(request, f"Invitation envoyée à {invitation.email}.")
                return redirect("accounts:members")
    context = {
        "form": form,
        "is_admin": is_admin,
        "memberships": organisation.memberships.select_related("user").order_by("user__last_name", "user__email"),
        "invitations": organisation.invitations.pending().select_related("invited_by"),
    }
    return render(request, "accounts/members.html", context)


@login_not_required
def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation", "invited_by"), token=token)
    if not request.user.is_authenticated:
        messages.info(
            request,
            f"Connectez-vous ou créez votre compte avec l'adresse {invitation.email} pour rejoindre "
            f"« {invitation.organisation.name} ».",
        )
        return redirect(f"{reverse('account_signup')}?next={request.path}")
    problem = services.invitation_problem(invitation=invitation, user=request.user)
    if request.method == "POST" and problem is None:
        try:
            membership = services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:  # accepted meanwhile, from another tab
            problem = exc.messages[0]
        else:
            request.session[SESSION_KEY] = membership.organisation_id
            messages.success(request, f"Vous avez rejoint « {membership.organisation.name} ».")
            return redirect("accounts:dashboard")
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation, "problem": problem})


def api_access(request):
    """The person's own API tokens (first characters, creation, end of validity) and the way out of every
    session. Tokens are asked for through the API (``POST /api/v1/auth/token/``), never shown again."""
    tokens = request.user.api_tokens().valid().order_by("-created")
    return render(request, "accounts/api_access.html", {"tokens": tokens})


def revoke_api_token(request, token_key):
    """Asks first (a script using the token stops working), then ends it."""
    token = get_object_or_404(request.user.api_tokens(), token_key=token_key)
    if request.method == "POST":
        try:
            services.revoke_api_token(user=request.user, token_key=token.token_key)
        except ValidationError as exc:  # revoked meanwhile, from another tab
            messages.info(request, exc.messages[0])
        else:
            messages.success(request, f"Le jeton {token.token_key[:8]}… est révoqué.")
        return redirect("accounts:api_access")
    return render(request, "accounts/revoke_api_token.html", {"token": token})


def end_every_session(request):
    """ "Se déconnecter partout": asks first, then ends every session (this one too) and every API token."""
    if request.method == "POST":
        services.end_every_session(user=request.user)
        logout(request)  # before the message: logging out empties the session that carries it
        messages.success(request, "Toutes vos sessions et tous vos jetons d'API sont fermés : reconnectez-vous.")
        return redirect("account_login")
    return render(request, "accounts/end_every_session.html")
