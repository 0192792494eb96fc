"""Demo marketplace: positions on the demo companies' awarded contracts, pools of fictitious
candidates for the demo prescribers (Faker fr_FR, emails at example.test), eligibility checks,
submissions at every stage with their history, placements with their outcome.

``seed(scale=1)`` gives a browsable demo; ``scale=100`` about 30,000 candidates and 100,000 past
submissions (bulk inserts, a few minutes), the training ground of the matcher.

How outcomes are drawn (the matcher must learn them, not read them off a copy of its features):
each candidate has a hidden *employability* e ~ N(0, 1) and a hidden *profile group* g (one of 5);
each company a hidden *taste* t[g] ~ N(0, 1) for each group. A submission's hidden score is

    s = 1.0·e + 0.6·t[g] + 0.8·[position's occupation among those sought] − 0.05·distance_km + N(0, 0.8)

The facilitator preselects when s > −0.6 (else refuses: profile mismatch), the company interviews
when s > −0.2 and hires when s > 0.7 while openings remain (else refuses with a reason drawn from
the list); some prescribers withdraw along the way. Only the occupation match and the distance are
visible to a matcher; e, g and t are not stored anywhere. Age, sex and eligibility criteria never
enter the score. Durable exits at the end of a placement follow e too (P = sigmoid(0.4 + e)).
"""

import datetime
import math
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.enums import OrganisationKind as Kind
from common.db import chunked, keys_of, raw_delete_by_keys
from demo import accounts as accounts_demo
from marketplace import changes
from marketplace.enums import (
    ContractType,
    FrenchLevel,
    Level1Criterion,
    Level2Criterion,
    PlacementOutcome,
    PlacementState,
    PositionState,
    QualificationLevel,
    RefusalReason,
    Sex,
    Situation,
)
from marketplace.enums import SubmissionState as S
from marketplace.models import (
    Candidate,
    EligibilityCheck,
    Placement,
    Position,
    Submission,
    SubmissionTransition,
    criteria_make_eligible,
)
from marketplace.services import MODALITY_BY_CONTRACT_TYPE, POSTING_CONTRACT_STATES
from notifications.models import Notification
from procurement.enums import Modality, Sector
from procurement.models import Award, HoursSource
from reference.models import Commune, JobTitle, Occupation

BATCH = 5000
CANDIDATES_PER_SCALE = 300
POSITIONS_PER_SCALE = 30
PAST_SUBMISSIONS_PER_SCALE = 1000
GROUPS = 5
# ROME occupations a position may be on, by contract sector (falls back to building).
OCCUPATIONS_BY_SECTOR = {
    Sector.BUILDING: ["F1703", "F1606", "F1602", "F1704", "F1501", "F1603"],
    Sector.PUBLIC_WORKS: ["F1702", "F1701", "F1302", "N1101"],
    Sector.GREEN_SPACES: ["A1203", "A1202", "A1201"],
    Sector.FACILITY_MAINTENANCE: ["I1203", "F1602", "F1606", "K2204"],
    Sector.CLEANING: ["K2204", "K2203", "K2303"],
    Sector.CATERING: ["G1602", "G1603", "G1801"],
    Sector.WASTE: ["K2303", "N4105", "K2304"],
    Sector.LOGISTICS: ["N1103", "N1105", "N4105"],
    Sector.SECURITY: ["K2503"],
    Sector.RECEPTION: ["M1601", "G1703"],
    Sector.REMOVALS: ["N1105", "N1103"],
}
REFUSALS_BY_COMPANY = [RefusalReason.PROFILE_MISMATCH, RefusalReason.MISSING_QUALIFICATION, RefusalReason.NO_SHOW]


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def _distance_km(a, b):
    """Equirectangular distance between two communes, good enough within Île-de-France."""
    x = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371 * math.hypot(x, math.radians(b.latitude - a.latitude))


def reset():
    """Deletes the marketplace rows of the demo organisations (before the organisations go), by keys
    collected first (see ``demo.procurement.reset``)."""
    organisation_ids = keys_of(accounts_demo.organisations())
    Notification.objects.filter(recipient_id__in=organisation_ids).delete()
    position_ids = keys_of(Position.objects.filter(company_id__in=organisation_ids))
    placements = Placement.objects.filter(position_id__in=position_ids)
    sources = keys_of(placements.exclude(hours_source=None), "hours_source_id")
    placements.delete()
    HoursSource.objects.filter(pk__in=sources, statements__isnull=True).delete()
    candidate_ids = keys_of(Candidate.objects.filter(prescriber_id__in=organisation_ids))
    submission_ids = [
        pk for chunk in chunked(candidate_ids) for pk in keys_of(Submission.objects.filter(candidate_id__in=chunk))
    ]
    raw_delete_by_keys(SubmissionTransition, "submission_id", submission_ids)
    raw_delete_by_keys(Submission, "pk", submission_ids)
    raw_delete_by_keys(EligibilityCheck, "candidate_id", candidate_ids)
    for chunk in chunked(candidate_ids):
        Candidate.objects.filter(pk__in=chunk).delete()
    Position.objects.filter(pk__in=position_ids).delete()
    changes.everything_changed()  # deleted in bulk: the matcher starts again from the tables


class _Seeder:
    def __init__(self, *, scale, rng, faker):
        self.scale, self.rng, self.faker = scale, rng, faker
        # Midnight today, not the clock: two seeds of the same day give the same data.
        self.today = timezone.localdate()
        self.now = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time(0)))
        organisations = list(accounts_demo.organisations().order_by("pk"))
        self.prescribers = [o for o in organisations if o.kind == Kind.PRESCRIBER]
        self.facilitator = next(o for o in organisations if o.kind == Kind.FACILITATOR)
        self.actor_of = self._actors(organisations)
        self.awards = list(
            Award.objects.filter(company__in=organisations, contract__state__in=POSTING_CONTRACT_STATES)
            .select_related("contract__place_of_execution", "company")
            .order_by("pk")
        )
        self.arrondissements = list(Commune.objects.paris_arrondissements())
        nearby = Commune.objects.filter(department__in=["92", "93", "94"]).order_by("code_insee")
        self.residences = self.arrondissements * 3 + list(nearby[:60])
        codes = sorted({code for codes in OCCUPATIONS_BY_SECTOR.values() for code in codes})
        self.job_titles_of = {}
        for job in JobTitle.objects.filter(occupation_id__in=codes).order_by("code_ogr"):
            self.job_titles_of.setdefault(job.occupation_id, []).append(job)
        self.skills_of = {
            code: [s.pk for s in Occupation.objects.get(pk=code).skills.order_by("pk")] for code in self.job_titles_of
        }

    def _actors(self, organisations):
        """The first member of each organisation acts for it (the facilitator's when it has none)."""
        User = get_user_model()
        actors = {}
        for user in User.objects.filter(memberships__organisation__in=organisations).order_by("pk").distinct():
            for org_id in user.memberships.values_list("organisation_id", flat=True):
                actors.setdefault(org_id, user)
        fallback = actors[self.facilitator.pk]
        return lambda organisation: actors.get(organisation.pk, fallback)

    def positions(self):
        rng, positions = self.rng, []
        for award in self.awards:
            occupations = [
                c
                for c in OCCUPATIONS_BY_SECTOR.get(award.contract.sector, OCCUPATIONS_BY_SECTOR[Sector.BUILDING])
                if c in self.job_titles_of
            ]
            if not occupations:
                continue
            for _ in range(max(1, round(POSITIONS_PER_SCALE * self.scale / len(self.awards)))):
                created = self.now - datetime.timedelta(days=rng.randint(0, 700))
                positions.append(
                    Position(
                        contract=award.contract,
                        company=award.company,
                        job_title=rng.choice(self.job_titles_of[rng.choice(occupations)]),
                        commune=award.contract.place_of_execution or rng.choice(self.arrondissements),
                        contract_type=rng.choice(
                            [ContractType.CDI, ContractType.CDD, ContractType.CDD, ContractType.TEMPORARY]
                            + [ContractType.PROFESSIONALISATION, ContractType.APPRENTICESHIP, ContractType.CDDI]
                        ),
                        weekly_hours=Decimal(rng.choice([24, 28, 35, 35, 35, 39])),
                        start_date=timezone.localdate(created) + datetime.timedelta(days=rng.randint(10, 60)),
                        openings=rng.randint(1, 5),
                        qualification_level=rng.choice(["", "", QualificationLevel.LEVEL_3]),
                        french_level=rng.choice(["", FrenchLevel.A2, FrenchLevel.B1]),
                        driving_licence=rng.random() < 0.15,
                        description="Poste proposé dans le cadre de la clause sociale du marché (démonstration).",
                        # The newest quarter stays open for live submissions; the rest closed.
                        state=PositionState.OPEN
                        if created > self.now - datetime.timedelta(days=120)
                        else PositionState.CLOSED,
                        created_by=self.actor_of(award.company),
                        created_at=created,
                    )
                )
        return Position.objects.bulk_create(positions, batch_size=BATCH)

    def candidates(self):
        rng, faker, candidates, hidden = self.rng, self.faker, [], []
        occupations = sorted(self.job_titles_of)
        for i in range(CANDIDATES_PER_SCALE * self.scale):
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            first = faker.first_name_female() if sex == Sex.FEMALE else faker.first_name_male()
            last = faker.last_name()
            birth = self.today - datetime.timedelta(days=rng.randint(18 * 365, 62 * 365))
            level1 = [c for c in Level1Criterion.values if rng.random() < 0.12]
            level2 = [c for c in Level2Criterion.values if rng.random() < 0.14]
            age = (self.today - birth).days // 365
            if age < 26:
                level2.append(Level2Criterion.UNDER_26)
            elif age > 50:
                level2.append(Level2Criterion.OVER_50)
            candidates.append(
                Candidate(
                    prescriber=rng.choice(self.prescribers),
                    first_name=first,
                    last_name=last,
                    birth_date=birth,
                    sex=sex,
                    commune=rng.choice(self.residences),
                    email=f"candidat.{i}@example.test",
                    phone=f"06{rng.randint(0, 99999999):08d}",
                    consent_at=None
                    if rng.random() < 0.02
                    else self.now - datetime.timedelta(days=rng.randint(30, 760)),
                    consent_text_version="2026-01",
                    situation=rng.choice(Situation.values),
                    level1_criteria=level1,
                    level2_criteria=sorted(set(level2)),
                    qualification_level=rng.choice(QualificationLevel.values[:3]),
                    french_level=rng.choice(FrenchLevel.values[1:5]),
                    driving_licence=rng.random() < 0.3,
                    max_commute_km=rng.choice([5, 10, 10, 15, 20, 30]),
                    available_from=self.today - datetime.timedelta(days=rng.randint(0, 400)),
                    created_at=self.now - datetime.timedelta(days=rng.randint(30, 800)),
                )
            )
            sought = rng.sample(occupations, k=rng.choice([1, 1, 2, 3]))
            hidden.append((rng.gauss(0, 1), rng.randrange(GROUPS), sought))
        for candidate in candidates:
            if candidate.consent_at:
                candidate.consent_at = min(candidate.consent_at, candidate.created_at)
        candidates = Candidate.objects.bulk_create(candidates, batch_size=BATCH)
        self._candidate_links(candidates, hidden)
        return candidates, hidden

    def _candidate_links(self, candidates, hidden):
        rng = self.rng
        Jobs, Skills = Candidate.job_titles.through, Candidate.skills.through
        jobs, skills = [], []
        for candidate, (_, _, sought) in zip(candidates, hidden, strict=True):
            for code in sought:
                jobs.append(Jobs(candidate_id=candidate.pk, jobtitle_id=rng.choice(self.job_titles_of[code]).pk))
                pool = self.skills_of[code]
                skills += [Skills(candidate_id=candidate.pk, skill_id=s) for s in rng.sample(pool, k=min(6, len(pool)))]
        Jobs.objects.bulk_create(jobs, batch_size=BATCH, ignore_conflicts=True)
        Skills.objects.bulk_create(skills, batch_size=BATCH, ignore_conflicts=True)

    def submissions(self, positions, candidates, hidden):
        """Past submissions with their full history, then live ones on open positions."""
        rng = self.rng
        taste = {award.company_id: [rng.gauss(0, 1) for _ in range(GROUPS)] for award in self.awards}
        consenting = [i for i, c in enumerate(candidates) if c.consent_at]
        by_occupation = {}
        for i in consenting:
            for code in hidden[i][2]:
                by_occupation.setdefault(code, []).append(i)
        hires = {p.pk: 0 for p in positions}
        taken, rows, logs, placements = set(), [], [], []
        closed = [p for p in positions if p.state == PositionState.CLOSED]
        open_ = [p for p in positions if p.state == PositionState.OPEN]
        plan = [(rng.choice(closed), True) for _ in range(PAST_SUBMISSIONS_PER_SCALE * self.scale if closed else 0)]
        plan += [(p, False) for p in open_ for _ in range(rng.randint(2, 8))]
        facilitator_actor = self.actor_of(self.facilitator)
        for position, past in plan:
            occupation = position.job_title.occupation_id
            pool = by_occupation.get(occupation) if rng.random() < 0.7 else None
            index = rng.choice(pool or consenting)
            candidate = candidates[index]
            if (candidate.pk, position.pk) in taken:
                continue
            taken.add((candidate.pk, position.pk))
            employability, group, sought = hidden[index]
            score = (
                employability
                + 0.6 * taste[position.company_id][group]
                + 0.8 * (occupation in sought)
                - 0.05 * _distance_km(candidate.commune, position.commune)
                + rng.gauss(0, 0.8)
            )
            start = timezone.make_aware(
                datetime.datetime.combine(position.start_date, datetime.time(10))
                - datetime.timedelta(days=rng.randint(5, 40))
            )
            if not past:
                start = self.now - datetime.timedelta(days=rng.randint(1, 40))
            path = self._path(score, position, hires, past)
            prescriber_actor = self.actor_of(candidate.prescriber)
            company_actor = self.actor_of(position.company)
            submission = Submission(
                candidate=candidate, position=position, submitted_by=prescriber_actor, created_at=start, note=""
            )
            at, steps = start, [("", S.SUBMITTED, prescriber_actor, candidate.prescriber, "")]
            for target, reason in path:
                actor, org = (facilitator_actor, self.facilitator)
                if target in (S.INTERVIEW, S.HIRED) or (
                    target == S.REFUSED and steps[-1][1] in (S.SENT_TO_COMPANY, S.INTERVIEW)
                ):
                    actor, org = company_actor, position.company
                if target == S.WITHDRAWN:
                    actor, org = prescriber_actor, candidate.prescriber
                steps.append((steps[-1][1], target, actor, org, reason))
            for n, (source, target, actor, org, reason) in enumerate(steps):
                if n:
                    at = min(at + datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8)), self.now)
                if target == S.SENT_TO_COMPANY:
                    submission.reached_company_at = at
                logs.append((submission, source, target, actor, org, reason, at))
            submission.state, submission.state_changed_at = steps[-1][1], at
            submission.refusal_reason = steps[-1][4] if steps[-1][1] == S.REFUSED else ""
            rows.append(submission)
            if submission.state == S.HIRED:
                placements.append((submission, at, employability))
        Submission.objects.bulk_create(rows, batch_size=BATCH)
        filled = [p.pk for p in closed if hires[p.pk] >= p.openings]
        Position.objects.filter(pk__in=filled).update(state=PositionState.FILLED)
        SubmissionTransition.objects.bulk_create(
            (
                SubmissionTransition(
                    submission=s, from_state=src, to_state=dst, actor=a, actor_organisation=o, reason=r, at=at
                )
                for s, src, dst, a, o, r, at in logs
            ),
            batch_size=BATCH,
        )
        return rows, len(logs), placements

    def _path(self, score, position, hires, past):
        """The states a submission goes through after "submitted", from its hidden score."""
        rng = self.rng
        if not past:  # live: stop somewhere along the way
            stage = rng.choice([0, 1, 2, 3])
            return [(state, "") for state in (S.PRESELECTED, S.SENT_TO_COMPANY, S.INTERVIEW)[:stage]]
        if rng.random() < 0.05:
            return [(S.WITHDRAWN, "")]
        if score <= -0.6:
            return [(S.REFUSED, RefusalReason.PROFILE_MISMATCH)]
        path = [(S.PRESELECTED, ""), (S.SENT_TO_COMPANY, "")]
        if score <= -0.2:
            return path + [(S.REFUSED, rng.choice(REFUSALS_BY_COMPANY))]
        path.append((S.INTERVIEW, ""))
        if score <= 0.7:
            return path + [(S.REFUSED, rng.choice(REFUSALS_BY_COMPANY))]
        if hires[position.pk] >= position.openings:
            return path + [(S.REFUSED, RefusalReason.POSITION_FILLED)]
        hires[position.pk] += 1
        return path + [(S.HIRED, "")]

    def placements(self, hired):
        """Hires with their eligibility check (done before the hire), validation, hours source and outcome."""
        rng, checks, placements, sources = self.rng, [], [], []
        checker = self.actor_of(self.facilitator)
        for submission, hired_at, employability in hired:
            candidate, position = submission.candidate, submission.position
            codes = candidate.level1_criteria + candidate.level2_criteria or [Level2Criterion.LOW_QUALIFICATION]
            checked_at = hired_at - datetime.timedelta(days=rng.randint(5, 60))
            checks.append(
                EligibilityCheck(
                    candidate=candidate,
                    criteria=[{"criterion": c, "proof": "prescriber_certificate"} for c in codes],
                    is_eligible=criteria_make_eligible(codes),
                    checked_by=checker,
                    checked_by_organisation=self.facilitator,
                    checked_at=checked_at,
                    valid_until=timezone.localdate(checked_at) + datetime.timedelta(days=183),
                )
            )
            hired_on = timezone.localdate(hired_at)
            start = hired_on + datetime.timedelta(days=rng.randint(0, 14))
            months = None if position.contract_type == ContractType.CDI else rng.choice([2, 3, 6, 6, 12, 18])
            end = start + datetime.timedelta(days=30 * months) if months else None
            validated = checks[-1].is_eligible and hired_at < self.now - datetime.timedelta(days=10)
            placement = Placement(
                submission=submission,
                position=position,
                contract_type=position.contract_type,
                hired_on=hired_on,
                start_date=start,
                planned_end_date=end,
                weekly_hours=position.weekly_hours,
                state=PlacementState.VALIDATED if validated else PlacementState.PENDING,
                decided_by=checker if validated else None,
                decided_at=hired_at + datetime.timedelta(days=3) if validated else None,
                created_at=hired_at,
            )
            if validated and end and end < self.today:
                durable = rng.random() < _sigmoid(0.4 + employability)
                placement.outcome = rng.choice(
                    [PlacementOutcome.CDI, PlacementOutcome.LONG_CDD, PlacementOutcome.QUALIFYING_TRAINING]
                    if durable
                    else [PlacementOutcome.SHORT_CONTRACT, PlacementOutcome.JOB_SEEKING, PlacementOutcome.DROPPED_OUT]
                )
                placement.outcome_recorded_at = timezone.make_aware(datetime.datetime.combine(end, datetime.time(12)))
            if validated:
                sources.append(
                    HoursSource(
                        contract_id=position.contract_id,
                        company_id=position.company_id,
                        modality=MODALITY_BY_CONTRACT_TYPE.get(placement.contract_type, Modality.DIRECT_HIRE),
                        label=f"Mise à l'emploi – {position.job_title.label} ({placement.get_contract_type_display()})",
                        created_at=placement.decided_at,
                    )
                )
                placement._source = sources[-1]
            placements.append(placement)
        EligibilityCheck.objects.bulk_create(checks, batch_size=BATCH)
        HoursSource.objects.bulk_create(sources, batch_size=BATCH)
        for placement in placements:
            placement.hours_source = getattr(placement, "_source", None)
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        return placements

    def live_checks(self, candidates):
        """Recent checks for a share of the pools, so that the live submissions can be validated."""
        rng, checks = self.rng, []
        for candidate in candidates:
            codes = candidate.level1_criteria + candidate.level2_criteria
            if codes and candidate.consent_at and rng.random() < 0.3:
                checked_at = self.now - datetime.timedelta(days=rng.randint(1, 150))
                checks.append(
                    EligibilityCheck(
                        candidate=candidate,
                        criteria=[{"criterion": c, "proof": "prescriber_certificate"} for c in codes],
                        is_eligible=criteria_make_eligible(codes),
                        checked_by=self.actor_of(self.facilitator),
                        checked_by_organisation=self.facilitator,
                        checked_at=checked_at,
                        valid_until=timezone.localdate(checked_at) + datetime.timedelta(days=183),
                    )
                )
        return EligibilityCheck.objects.bulk_create(checks, batch_size=BATCH)

    def notifications(self, submissions):
        """In-app notifications for the live submissions waiting for someone."""
        next_org = {S.SUBMITTED: self.facilitator, S.PRESELECTED: self.facilitator}
        submission_type = ContentType.objects.get_for_model(Submission)
        rows = []
        for s in submissions:
            if s.state in (
                S.SUBMITTED,
                S.PRESELECTED,
                S.SENT_TO_COMPANY,
            ) and s.state_changed_at > self.now - datetime.timedelta(days=40):
                recipient = next_org.get(s.state, s.position.company)
                rows.append(
                    Notification(
                        recipient=recipient,
                        text=f"Candidature n° {s.pk} ({s.position.job_title.label}) : {s.get_state_display().lower()}.",
                        link=f"/candidatures/{s.pk}/",
                        subject_type=submission_type,
                        subject_id=s.pk,
                        created_at=s.state_changed_at,
                    )
                )
        return Notification.objects.bulk_create(rows, batch_size=BATCH)


def seed(*, scale, rng, faker):
    """Deterministic for a given ``rng`` and ``faker`` seed; needs the accounts demo (and, for
    positions, the procurement demo's awarded contracts) first."""
    seeder = _Seeder(scale=scale, rng=rng, faker=faker)
    positions = seeder.positions()
    candidates, hidden = seeder.candidates()
    submissions, transitions, hired = seeder.submissions(positions, candidates, hidden)
    placements = seeder.placements(hired)
    checks = seeder.live_checks(candidates)
    notifications = seeder.notifications(submissions)
    changes.everything_changed()  # created in bulk: the matcher starts again from the tables
    return {
        "offres": len(positions),
        "candidats": len(candidates),
        "candidatures": len(submissions),
        "changements d'état": transitions,
        "mises à l'emploi": len(placements),
        "vérifications d'éligibilité": len(placements) + len(checks),
        "notifications": len(notifications),
    }
