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
from accounts.perms import organisation_required
from common.views import paginate
from marketplace import personal_data, services
from marketplace.enums import PlacementState
from marketplace.forms import DecisionForm, OutcomeForm
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
            "states": PlacementState.choices,
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
    can_decide = perms.can(request.organisation, "placement.validate")
    return render(
        request,
        "marketplace/placement_detail.html",
        {
            "placement": placement,
            # The hiring company declares the placement's hours from here (its notification leads here).
            "can_declare": placement.hours_source_id is not None
            and perms.can(request.organisation, "hours.declare")
            and placement.position.company_id == request.organisation.pk,
            "decision_form": DecisionForm() if can_decide and placement.state == PlacementState.PENDING else None,
            "outcome_form": OutcomeForm(initial={"outcome": placement.outcome})
            if can_decide and placement.state == PlacementState.VALIDATED
            else None,
        },
    )


@require_POST
@organisation_required("placement.validate")
def placement_decide(request, pk):
    placement = get_object_or_404(Placement.objects.visible_to(request.organisation), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    decide = services.validate_placement if request.POST.get("decision") == "validate" else services.refuse_placement
    try:
        decide(
            placement=placement,
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
            organisation=request.organisation,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "La décision est enregistrée.")
    return redirect("marketplace:placement_detail", pk=pk)


@require_POST
@organisation_required("placement.validate")
def placement_outcome(request, pk):
    placement = get_object_or_404(Placement.objects.visible_to(request.organisation), pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.record_outcome(
                placement=placement,
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
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
        Submission.objects.waiting_since(timezone.now() - datetime.timedelta(days=stale_days))
        .for_display()
        .order_by("state_changed_at")
    )
    to_record = (
        Placement.objects.filter(state=PlacementState.VALIDATED, outcome="", planned_end_date__lte=today)
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
