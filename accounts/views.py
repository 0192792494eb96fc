from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import perms, services
from accounts.current import SESSION_KEY
from accounts.forms import InvitationForm, OrganisationForm
from accounts.models import Invitation, Membership
from accounts.perms import organisation_required
from common.dashboard import work_items


@login_not_required
def home(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    return render(request, "pages/home.html")


def dashboard(request):
    """Each role lands on its own dashboard; a person without organisation is asked to create or join one."""
    if request.organisation is None:
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
        request.session[SESSION_KEY] = organisation.pk
        messages.success(
            request,
            f"L'organisation « {organisation.name} » est créée : vous en êtes administrateur.",
        )
        return redirect("accounts:dashboard")
    return render(request, "accounts/create_organisation.html", {"form": form})


@require_POST
def switch_organisation(request):
    """Changes the organisation the user acts for; only one of their own."""
    organisation_id = request.POST.get("organisation", "")
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"),
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
