"""What the marketplace puts on each role's dashboard (``common.dashboard``): the company's months to declare,
submissions to process and positions; the prescriber's eligibilities about to expire, submissions by stage and
new positions; the facilitator's queues of eligibility, submissions, placements and outcomes. A fixed number of
queries per role whatever the data size."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse

from accounts import perms
from accounts.enums import OrganisationKind as Kind
from common.dashboard import WorkItem, filtered_url
from marketplace.enums import ACTIVE_SUBMISSION_STATES, PlacementState, PositionState, SubmissionState
from marketplace.models import Candidate, Placement, Position, Submission
from procurement.dashboard import plural
from procurement.models import HoursSource, HoursStatement
from procurement.workflows import EXECUTION_STATES

# An eligibility expiring within this many days is announced on the prescriber's dashboard.
EXPIRY_NOTICE_DAYS = 30
# Positions opened within this many days are « new » for a prescriber.
NEW_POSITION_DAYS = 7


def work(organisation, today):
    if perms.sees_everything(organisation):
        return _facilitator(today)
    if organisation.kind == Kind.COMPANY:
        return _company(organisation, today)
    if organisation.kind == Kind.PRESCRIBER:
        return _prescriber(organisation, today)
    return []


def _months(start, end):
    """First days of the months from ``start``'s to ``end``'s, both included."""
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def months_to_declare(organisation, today):
    """(count, oldest month): the months already over, since each source of the company started and until it
    ended, that no statement covers (a refused one does not). Two queries: the sources with their start and end,
    the months declared."""
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    sources = HoursSource.objects.filter(company=organisation, contract__state__in=EXECUTION_STATES).values_list(
        "pk",
        "created_at",
        "placement__start_date",
        "placement__planned_end_date",
        "siae_order__starts_on",
        "siae_order__ends_on",
    )
    declared = set(
        HoursStatement.objects.filter(source__company=organisation, source__contract__state__in=EXECUTION_STATES)
        .counted()
        .values_list("source_id", "month")
        .distinct()
    )
    count, oldest = 0, None
    for pk, created_at, placement_start, placement_end, order_start, order_end in sources:
        start = placement_start or order_start or created_at.date()
        end = min(d for d in (placement_end, order_end, last_month) if d is not None)
        for month in _months(start, end):
            if (pk, month) not in declared:
                count += 1
                oldest = month if oldest is None else min(oldest, month)
    return count, oldest


def _company(organisation, today):
    # 1-2. Months to declare.
    months, oldest_month = months_to_declare(organisation, today)
    # 3. Submissions it has, by state.
    submissions = Submission.objects.visible_to(organisation).aggregate(
        to_review=Count("pk", filter=Q(state=SubmissionState.SENT_TO_COMPANY)),
        oldest_to_review=Min("state_changed_at", filter=Q(state=SubmissionState.SENT_TO_COMPANY)),
        interviews=Count("pk", filter=Q(state=SubmissionState.INTERVIEW)),
        oldest_interview=Min("state_changed_at", filter=Q(state=SubmissionState.INTERVIEW)),
    )
    # 4. Its positions by state, 5. its hires waiting for the facilitator.
    positions = Position.objects.filter(company=organisation).aggregate(
        open=Count("pk", filter=Q(state=PositionState.OPEN)),
        drafts=Count("pk", filter=Q(state=PositionState.DRAFT)),
    )
    pending = Placement.objects.filter(position__company=organisation, state=PlacementState.PENDING).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    return [
        WorkItem(
            label=plural(months, "mois d'heures à déclarer", "mois d'heures à déclarer"),
            count=months,
            url=reverse("procurement:statement_list") + "#declare",
            rank=10,
            oldest=oldest_month,
        ),
        WorkItem(
            label=plural(submissions["to_review"], "candidature à examiner", "candidatures à examiner"),
            count=submissions["to_review"],
            url=filtered_url("marketplace:submission_list", etat=SubmissionState.SENT_TO_COMPANY),
            rank=20,
            oldest=submissions["oldest_to_review"],
        ),
        WorkItem(
            label=plural(submissions["interviews"], "entretien à conclure", "entretiens à conclure"),
            count=submissions["interviews"],
            url=filtered_url("marketplace:submission_list", etat=SubmissionState.INTERVIEW),
            rank=25,
            oldest=submissions["oldest_interview"],
        ),
        WorkItem(
            label=plural(positions["open"], "offre ouverte", "offres ouvertes"),
            count=positions["open"],
            url=filtered_url("marketplace:my_positions", etat=PositionState.OPEN),
            rank=30,
        ),
        WorkItem(
            label=plural(positions["drafts"], "offre en brouillon à publier", "offres en brouillon à publier"),
            count=positions["drafts"],
            url=filtered_url("marketplace:my_positions", etat=PositionState.DRAFT),
            rank=35,
        ),
        WorkItem(
            label=plural(pending["count"], "embauche en attente de validation", "embauches en attente de validation"),
            count=pending["count"],
            url=filtered_url("marketplace:placement_list", etat=PlacementState.PENDING),
            rank=40,
            oldest=pending["oldest"],
            detail="Le facilitateur vérifie l'éligibilité le jour de l'embauche.",
        ),
    ]


def _prescriber(organisation, today):
    # 1. Its candidates whose last eligibility runs out soon.
    expiring = (
        Candidate.objects.visible_to(organisation)
        .eligibility_expiring(today, EXPIRY_NOTICE_DAYS)
        .aggregate(count=Count("pk"), first=Min("eligible_until"))
    )
    # 2. Its submissions by stage.
    by_state = Submission.objects.visible_to(organisation).aggregate(
        **{f"count_{s}": Count("pk", filter=Q(state=s)) for s in ACTIVE_SUBMISSION_STATES},
        **{f"oldest_{s}": Min("state_changed_at", filter=Q(state=s)) for s in ACTIVE_SUBMISSION_STATES},
    )
    # 3. Positions opened lately, to propose people for.
    new_positions = (
        Position.objects.published()
        .filter(created_at__date__gte=today - datetime.timedelta(days=NEW_POSITION_DAYS))
        .count()
    )
    stage_labels = {
        SubmissionState.SUBMITTED: ("candidature proposée au facilitateur", "candidatures proposées au facilitateur"),
        SubmissionState.PRESELECTED: ("candidature présélectionnée", "candidatures présélectionnées"),
        SubmissionState.SENT_TO_COMPANY: (
            "candidature transmise à l'entreprise",
            "candidatures transmises à l'entreprise",
        ),
        SubmissionState.INTERVIEW: ("candidat en entretien", "candidats en entretien"),
    }
    items = [
        WorkItem(
            label=plural(expiring["count"], "éligibilité expire bientôt", "éligibilités expirent bientôt"),
            count=expiring["count"],
            url=filtered_url("marketplace:candidate_list", eligibilite="expire-bientot"),
            rank=10,
            detail=f"Dans les {EXPIRY_NOTICE_DAYS} jours"
            + (f" ; la première le {expiring['first']:%d/%m/%Y}." if expiring["first"] else "."),
        ),
        WorkItem(
            label=plural(new_positions, "nouvelle offre", "nouvelles offres"),
            count=new_positions,
            url=filtered_url("marketplace:job_board", depuis=NEW_POSITION_DAYS),
            rank=20,
            detail=f"Publiées ces {NEW_POSITION_DAYS} derniers jours : le rapprochement y propose vos candidats.",
        ),
    ]
    for rank, state in enumerate(ACTIVE_SUBMISSION_STATES, start=30):
        count = by_state[f"count_{state}"]
        items.append(
            WorkItem(
                label=plural(count, *stage_labels[state]),
                count=count,
                url=filtered_url("marketplace:submission_list", etat=state),
                rank=rank,
                oldest=by_state[f"oldest_{state}"],
            )
        )
    return items


def _facilitator(today):
    # 1. People submitted with no eligibility valid today.
    unchecked = Candidate.objects.eligibility_to_check(today).aggregate(count=Count("pk"), oldest=Min("waiting_since"))
    # 2. Submissions at the facilitator's stages.
    submissions = Submission.objects.aggregate(
        submitted=Count("pk", filter=Q(state=SubmissionState.SUBMITTED)),
        oldest_submitted=Min("state_changed_at", filter=Q(state=SubmissionState.SUBMITTED)),
        preselected=Count("pk", filter=Q(state=SubmissionState.PRESELECTED)),
        oldest_preselected=Min("state_changed_at", filter=Q(state=SubmissionState.PRESELECTED)),
    )
    # 3. Hires to validate, 4. ended placements whose outcome is not recorded.
    placements = Placement.objects.aggregate(
        pending=Count("pk", filter=Q(state=PlacementState.PENDING)),
        oldest_pending=Min("created_at", filter=Q(state=PlacementState.PENDING)),
        ended=Count("pk", filter=Q(state=PlacementState.VALIDATED, outcome="", planned_end_date__lte=today)),
        oldest_ended=Min(
            "planned_end_date", filter=Q(state=PlacementState.VALIDATED, outcome="", planned_end_date__lte=today)
        ),
    )
    return [
        WorkItem(
            label=plural(unchecked["count"], "éligibilité à vérifier", "éligibilités à vérifier"),
            count=unchecked["count"],
            url=filtered_url("marketplace:candidate_list", eligibilite="a-verifier"),
            rank=20,
            oldest=unchecked["oldest"],
        ),
        WorkItem(
            label=plural(submissions["submitted"], "candidature à présélectionner", "candidatures à présélectionner"),
            count=submissions["submitted"],
            url=filtered_url("marketplace:submission_list", etat=SubmissionState.SUBMITTED),
            rank=30,
            oldest=submissions["oldest_submitted"],
        ),
        WorkItem(
            label=plural(
                submissions["preselected"],
                "candidature présélectionnée à transmettre",
                "candidatures présélectionnées à transmettre",
            ),
            count=submissions["preselected"],
            url=filtered_url("marketplace:submission_list", etat=SubmissionState.PRESELECTED),
            rank=35,
            oldest=submissions["oldest_preselected"],
        ),
        WorkItem(
            label=plural(placements["pending"], "mise à l'emploi à valider", "mises à l'emploi à valider"),
            count=placements["pending"],
            url=filtered_url("marketplace:placement_list", etat=PlacementState.PENDING),
            rank=40,
            oldest=placements["oldest_pending"],
        ),
        WorkItem(
            label=plural(placements["ended"], "sortie à enregistrer", "sorties à enregistrer"),
            count=placements["ended"],
            url=reverse("marketplace:follow_up"),
            rank=70,
            oldest=placements["oldest_ended"],
        ),
    ]
