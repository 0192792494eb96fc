"""Placements (*mises à l'emploi*): the facilitator's validation, outcomes, and the follow-up page."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import perms
from accounts.forms import TransitionForm
from accounts.perms import organisation_required
from common import refusals
from common.views import paginate
from marketplace import personal_data, services, workflows
from marketplace.enums import PlacementState
from marketplace.forms import OutcomeForm, PlacementFilterForm, RefusePlacementForm
from marketplace.models import Placement, Submission


@organisation_required()
def placement_list(request):
    placements, state = _placements(request)
    return render(
        request,
        "marketplace/placement_list.html",
        {
            "page_obj": paginate(request, placements.for_display()),
            "state": state,
            "filters": PlacementFilterForm(request.GET),
            "names_people": perms.names_people_in_exports(request.organisation),
        },
    )


def _placements(request):
    """The placements the organisation sees, filtered by state (``?etat=``) as the list shows them."""
    placements = Placement.objects.visible_to(request.organisation)
    state = request.GET.get("etat", "")
    if state in PlacementState.values:
        placements = placements.filter(state=state)
    return placements, state


@organisation_required()
def placement_export(request):
    placements, _ = _placements(request)
    content = personal_data.export_placements(
        placements=placements, actor=request.user, organisation=request.organisation
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mises-a-l-emploi.xlsx"'
    return response


@organisation_required()
def placement_detail(request, pk):
    placement = get_object_or_404(Placement.objects.visible_to(request.organisation).for_display(), pk=pk)
    organisation = request.organisation
    form = TransitionForm(workflow=workflows.PLACEMENT, obj=placement, organisation=organisation)
    offered = {move.target for move in form.moves}
    validating = PlacementState.VALIDATED in offered
    return render(
        request,
        "marketplace/placement_detail.html",
        {
            "placement": placement,
            # Said before the click, with the page where it is fixed.
            "blocker": services.placement_validation_blocker(placement) if validating else None,
            # The hiring company declares the placement's hours from here (its notification leads here).
            "can_declare": placement.hours_source_id is not None
            and perms.can(organisation, "hours.declare")
            and placement.position.company_id == organisation.pk,
            "form": form if validating else None,
            "refuse_form": RefusePlacementForm(placement=placement, organisation=organisation)
            if PlacementState.REFUSED in offered
            else None,
            "history": placement.transitions.select_related("actor", "organisation"),
            "outcome_form": OutcomeForm(initial={"outcome": placement.outcome})
            if perms.can(organisation, "placement.validate") and placement.state == PlacementState.VALIDATED
            else None,
            # A contract still running has no exit yet: the form says so rather than guess one.
            "still_running": placement.planned_end_date is None or placement.planned_end_date > timezone.localdate(),
        },
    )


@organisation_required()
def placement_transition(request, pk):
    """POST ``target=validated`` or ``refused`` (with its reason): the facilitator's decision. GET: the
    confirmation page of a refusal, for a browser without JavaScript (with it, it opens in a modal)."""
    placement = get_object_or_404(Placement.objects.visible_to(request.organisation).for_display(), pk=pk)
    organisation = request.organisation
    refusing = request.POST.get("target", PlacementState.REFUSED) == PlacementState.REFUSED
    if refusing:
        form = RefusePlacementForm(
            request.POST if request.method == "POST" else None, placement=placement, organisation=organisation
        )
    else:
        form = TransitionForm(request.POST, workflow=workflows.PLACEMENT, obj=placement, organisation=organisation)
    if request.method != "POST":
        if PlacementState.REFUSED not in {move.target for move in form.moves}:
            return redirect("marketplace:placement_detail", pk=pk)
        return render(request, "marketplace/placement_refuse.html", {"placement": placement, "form": form})
    if not form.is_valid():
        if refusing and "target" not in form.errors:
            return render(request, "marketplace/placement_refuse.html", {"placement": placement, "form": form})
        refusals.flash(request, ValidationError(form.errors))
    elif refusals.call(
        services.transition_placement,
        form=form if refusing else None,
        request=request,
        placement=placement,
        actor=request.user,
        organisation=organisation,
        **form.service_kwargs(),
    ):
        messages.success(request, "La mise à l'emploi est refusée." if refusing else "La mise à l'emploi est validée.")
    elif refusing:
        return render(request, "marketplace/placement_refuse.html", {"placement": placement, "form": form})
    return redirect("marketplace:placement_detail", pk=pk)


@require_POST
@organisation_required("placement.validate")
def placement_outcome(request, pk):
    placement = get_object_or_404(Placement.objects.visible_to(request.organisation), pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        if refusals.call(
            services.record_outcome,
            request=request,
            placement=placement,
            outcome=form.cleaned_data["outcome"],
            actor=request.user,
            organisation=request.organisation,
        ):
            messages.success(request, "La sortie est enregistrée.")
    else:
        messages.error(request, "Choisissez une situation de sortie dans la liste.")
    return redirect("marketplace:placement_detail", pk=pk)


@organisation_required("follow_up.read")
def follow_up(request):
    """Submissions waiting at one stage for too long, and ended placements without a recorded outcome."""
    today = timezone.localdate()
    stale_days = settings.FOLLOW_UP_STALE_DAYS
    waiting = (
        Submission.objects.visible_to(request.organisation)
        .waiting_since(timezone.now() - datetime.timedelta(days=stale_days))
        .for_display()
        .order_by("state_changed_at")
    )
    to_record = (
        Placement.objects.visible_to(request.organisation)
        .filter(state=PlacementState.VALIDATED, outcome="", planned_end_date__lte=today)
        .for_display()
        .order_by("planned_end_date")
    )
    return render(
        request,
        "marketplace/follow_up.html",
        {
            "stale_days": stale_days,
            "page_obj": paginate(request, waiting),
            # The oldest first; the facilitator records them and they leave the list.
            "to_record": to_record[:50],
        },
    )
