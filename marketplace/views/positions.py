"""Job board (public) and the company's positions."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.forms import TransitionForm
from accounts.perms import organisation_required
from common import refusals
from common.views import paginate, renamed_params
from marketplace import services, workflows
from marketplace.enums import PositionState
from marketplace.forms import PositionFilterForm, PositionForm, PositionStateFilterForm, ProposeForm
from marketplace.models import Position

# ROME's broad domains: the first letter of an occupation's code.
OCCUPATION_DOMAINS = [
    ("A", "A – Agriculture, espaces verts et naturels, soins aux animaux"),
    ("B", "B – Arts et façonnage d'ouvrages d'art"),
    ("C", "C – Banque, assurance, immobilier"),
    ("D", "D – Commerce, vente et grande distribution"),
    ("E", "E – Communication, média et multimédia"),
    ("F", "F – Construction, bâtiment et travaux publics"),
    ("G", "G – Hôtellerie-restauration, tourisme, loisirs et animation"),
    ("H", "H – Industrie"),
    ("I", "I – Installation et maintenance"),
    ("J", "J – Santé"),
    ("K", "K – Services à la personne et à la collectivité"),
    ("L", "L – Spectacle"),
    ("M", "M – Support à l'entreprise"),
    ("N", "N – Transport et logistique"),
]


@login_not_required
@renamed_params({"domain": "domaine", "contract_type": "type_contrat"})
def job_board(request):
    """Open positions, anyone may read them: no personal data here."""
    form = PositionFilterForm(request.GET or None, domains=OCCUPATION_DOMAINS)
    positions = Position.objects.published().for_display()
    if form.is_valid():
        if form.cleaned_data["domaine"]:
            positions = positions.filter(job_title__occupation__code_rome__startswith=form.cleaned_data["domaine"])
        if form.cleaned_data["commune"]:
            positions = positions.filter(commune=form.cleaned_data["commune"])
        if form.cleaned_data["type_contrat"]:
            positions = positions.filter(contract_type=form.cleaned_data["type_contrat"])
        if form.cleaned_data["depuis"]:
            since = timezone.localdate() - datetime.timedelta(days=form.cleaned_data["depuis"])
            positions = positions.filter(created_at__date__gte=since)
    return render(request, "marketplace/job_board.html", {"form": form, "page_obj": paginate(request, positions)})


@login_not_required
def position_detail(request, pk):
    position = get_object_or_404(Position.objects.visible_to(request.organisation).for_display(), pk=pk)
    organisation = request.organisation
    context = {
        "position": position,
        "can_manage": organisation is not None and position.company_id == organisation.pk,
        "can_submit": perms.can(organisation, "submission.create") and position.state == PositionState.OPEN,
        # A visitor may be a prescriber not logged in yet: the button leads to the login, then to the form.
        "invites_login": organisation is None and position.state == PositionState.OPEN,
        "contact_email": settings.CONTACT_EMAIL,
        "moves": workflows.POSITION.moves(position, organisation),
    }
    if context["can_manage"] or perms.sees_everything(organisation):
        context["counts"] = position.submissions.aggregate(
            total=Count("pk"), reached=Count("pk", filter=Q(reached_company_at__isnull=False))
        )
    return render(request, "marketplace/position_detail.html", context)


@organisation_required()
def my_positions(request):
    """A company's own positions, a buyer's those on its contracts; the facilitator sees every one."""
    organisation = request.organisation
    positions = Position.objects.visible_to(organisation).concerning(organisation)
    filters = PositionStateFilterForm(request.GET)
    if filters.is_valid() and filters.cleaned_data["etat"]:
        positions = positions.filter(state=filters.cleaned_data["etat"])
    # Meta.ordering does not apply to aggregated querysets: order explicitly for stable pages.
    positions = positions.for_display().annotate(submission_count=Count("submissions")).order_by("-created_at", "-pk")
    return render(
        request,
        "marketplace/my_positions.html",
        {
            "page_obj": paginate(request, positions),
            "can_manage": perms.can(organisation, "position.manage"),
            "filters": filters,
        },
    )


@organisation_required("position.manage")
def position_edit(request, pk=None):
    organisation = request.organisation
    position = get_object_or_404(Position.objects.managed_by(organisation), pk=pk) if pk else Position()
    form = PositionForm(request.POST or None, instance=position, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = refusals.call(
            services.save_position,
            form=form,
            position=form.save(commit=False),
            actor=request.user,
            organisation=organisation,
        )
        if saved:
            messages.success(request, "L'offre est enregistrée.")
            return redirect("marketplace:position_detail", pk=saved.pk)
    return render(request, "marketplace/position_form.html", {"form": form, "position": position})


@require_POST
@organisation_required("position.manage")
def position_transition(request, pk):
    position = get_object_or_404(Position.objects.managed_by(request.organisation), pk=pk)
    form = TransitionForm(request.POST, workflow=workflows.POSITION, obj=position, organisation=request.organisation)
    if not form.is_valid():
        refusals.flash(request, ValidationError(form.errors))
    elif refusals.call(
        services.transition_position,
        request=request,
        position=position,
        actor=request.user,
        organisation=request.organisation,
        **form.service_kwargs(),
    ):
        messages.success(request, "L'état de l'offre est mis à jour.")
    return redirect("marketplace:position_detail", pk=pk)


@organisation_required("submission.create")
def position_propose(request, pk):
    """« Proposer un candidat » from a public offer: a prescriber picks someone of its pool and submits them."""
    position = get_object_or_404(Position.objects.published().for_display(), pk=pk)
    form = ProposeForm(request.POST or None, position=position, organisation=request.organisation)
    submission = (
        request.method == "POST"
        and form.is_valid()
        and refusals.call(
            services.submit_candidate,
            form=form,
            candidate=form.cleaned_data["candidate"],
            position=position,
            note=form.cleaned_data["note"],
            actor=request.user,
            organisation=request.organisation,
        )
    )
    if submission:
        messages.success(request, "La candidature est transmise au facilitateur.")
        return redirect("marketplace:submission_detail", pk=submission.pk)
    return render(request, "marketplace/position_propose.html", {"position": position, "form": form})
