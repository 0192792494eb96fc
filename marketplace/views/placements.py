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
from marketplace.forms import DecisionForm, OutcomeForm, PlacementFilterForm, RefusePlacementForm
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
    can_decide = perms.can(request.organisation, "placement.validate")
    pending = can_decide and placement.state == PlacementState.PENDING
    return render(
        request,
        "marketplace/placement_detail.html",
        {
            "placement": placement,
            # Said before the click, with the page where it is fixed.
            "blocker": services.placement_validation_blocker(placement) if pending else None,
            # The hiring company declares the placement's hours from here (its notification leads here).
            "can_declare": placement.hours_source_id is not None
            and perms.can(request.organisation, "hours.declare")
            and placement.position.company_id == request.organisation.pk,
            "decision_form": DecisionForm() if pending else None,
            "refuse_form": RefusePlacementForm() if pending else None,
            "outcome_form": OutcomeForm(initial={"outcome": placement.outcome})
            if can_decide and placement.state == PlacementState.VALIDATED
            else None,
            # A contract still running has no exit yet: the form says so rather than guess one.
            "still_running": placement.planned_end_date is None or placement.planned_end_date > timezone.localdate(),
        },
    )


@organisation_required("placement.validate")
def placement_decide(request, pk):
    """POST ``decision=validate`` or ``refuse``. GET: the confirmation page of a refusal, for a browser without
    JavaScript (with it, the refusal opens in a modal on the placement's page)."""
    placement = get_object_or_404(Placement.objects.visible_to(request.organisation).for_display(), pk=pk)
    refusing = request.POST.get("decision", "refuse") == "refuse"
    if request.method != "POST":
        if placement.state != PlacementState.PENDING:
            return redirect("marketplace:placement_detail", pk=pk)
        return render(
            request, "marketplace/placement_refuse.html", {"placement": placement, "form": RefusePlacementForm()}
        )
    form = RefusePlacementForm(request.POST) if refusing else DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "marketplace/placement_refuse.html", {"placement": placement, "form": form})
    decide = services.refuse_placement if refusing else services.validate_placement
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
        messages.success(request, "La mise à l'emploi est refusée." if refusing else "La mise à l'emploi est validée.")
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
