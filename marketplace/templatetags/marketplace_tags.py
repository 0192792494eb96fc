"""Marketplace pieces shown on shared pages: each role's dashboard panel."""

from django import template
from django.db.models import Count, Q

from accounts import perms
from accounts.enums import OrganisationKind as Kind
from marketplace.enums import PlacementState, PositionState, SubmissionState
from marketplace.models import Candidate, Placement, Position, Submission

register = template.Library()


def _submission_counts(submissions):
    return submissions.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(state__in=[s for s in SubmissionState if s not in _FINAL])),
        hired=Count("pk", filter=Q(state=SubmissionState.HIRED)),
    )


_FINAL = {SubmissionState.HIRED, SubmissionState.REFUSED, SubmissionState.WITHDRAWN}


@register.inclusion_tag("marketplace/includes/dashboard_panel.html")
def marketplace_panel(organisation):
    """The overview under the work items (common.dashboard): counts the organisation may see; buyers get counts
    only, over their contracts."""
    panel = {"kind": organisation.kind}
    if organisation.kind == Kind.COMPANY:
        panel["positions"] = Position.objects.filter(company=organisation).aggregate(
            total=Count("pk"), open=Count("pk", filter=Q(state=PositionState.OPEN))
        )
        panel["submissions"] = _submission_counts(Submission.objects.visible_to(organisation))
    elif organisation.kind == Kind.PRESCRIBER:
        panel["candidates"] = Candidate.objects.visible_to(organisation).count()
        panel["submissions"] = _submission_counts(Submission.objects.visible_to(organisation))
    elif organisation.kind == Kind.BUYER:
        panel["positions"] = Position.objects.filter(contract__buyer=organisation).aggregate(
            total=Count("pk"), open=Count("pk", filter=Q(state=PositionState.OPEN))
        )
        panel["submissions"] = _submission_counts(Submission.objects.filter(position__contract__buyer=organisation))
        panel["placements"] = Placement.objects.filter(
            position__contract__buyer=organisation, state=PlacementState.VALIDATED
        ).count()
    elif perms.sees_everything(organisation):
        panel["submissions"] = _submission_counts(Submission.objects.all())
    return panel
