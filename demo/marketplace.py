"""Demo marketplace: pools of fictitious candidates for the demo prescribers (Faker fr_FR, emails at
example.test), the people hired on the demo contracts with the submissions, eligibility checks, placements
and monthly hours that got them there, and live positions with submissions at every stage.

The hires follow the contracts: ``demo.procurement.plan`` says how many hours each contract's placements
bring by today, and people are hired month after month until they do, each working at most what their
weekly hours allow in the month (``procurement.rules``, checked again before writing, as the services do).
A person holds at most one full-time job at a time (48 h a week across placements, ``marketplace.rules``),
is hired only when eligible on the day (age criteria as their birth date allows) and was in the pool before.
Candidates seek one to three close occupations of one trade, in the proportion the contracts need them.

``seed(scale=1)`` gives a browsable demo; ``scale=100`` about 30,000 candidates and 100,000 past submissions
(bulk inserts), the training ground of the matcher.

How outcomes are drawn (the matcher must learn them, not read them off a copy of its features): each candidate
has a hidden *employability* e ~ N(0, 1) and a hidden *profile group* g (one of 5); each company a hidden
*taste* t[g] ~ N(0, 1) for each group. A submission's hidden score is

    s = 1.0·e + 0.6·t[g] + 0.8·[position's occupation among those sought] − 0.05·distance_km + N(0, 0.8)

The facilitator preselects when s > −0.6 (else refuses: profile mismatch), the company interviews when
s > −0.2 and hires when s > 0.7 while openings remain (else refuses with a reason drawn from the list); some
prescribers withdraw along the way. A candidate the company would hire but who is not free (already working
full time) or not eligible that day declines or is refused as not eligible. Only the occupation match and the
distance are visible to a matcher; e, g and t are not stored anywhere. Age, sex and eligibility criteria never
enter the score. Durable exits at the end of a placement follow e too (P = sigmoid(0.4 + e)).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.enums import OrganisationKind as Kind
from common.db import chunked, keys_of, raw_delete_by_keys
from demo import accounts as accounts_demo
from demo import procurement as procurement_demo
from marketplace import changes, sessions
from marketplace import rules as people_rules
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
    InformationSession,
    Placement,
    Position,
    SessionInvitation,
    Submission,
    SubmissionTransition,
    criteria_make_eligible,
)
from marketplace.services import MODALITY_BY_CONTRACT_TYPE
from notifications.models import Notification
from procurement import rules
from procurement.enums import ContractState, Modality, Sector
from procurement.models import Award, ClauseSettings, HoursSource
from reference.models import Commune, JobTitle, Occupation

BATCH = 5000
CANDIDATES_PER_SCALE = 300
LIVE_POSITIONS_PER_SCALE = 12
PAST_SUBMISSIONS_PER_SCALE = 1000
GROUPS = 5
# ROME occupations a position may be on, by contract sector (falls back to building); within a sector they
# are close occupations (a mason's neighbours are the other building trades).
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
    Sector.TEXTILE: ["K2203", "N1103"],
    Sector.MAIL: ["N1103", "M1601"],
}
REFUSALS_BY_COMPANY = [RefusalReason.PROFILE_MISMATCH, RefusalReason.MISSING_QUALIFICATION, RefusalReason.NO_SHOW]
WEEKLY_HOURS = [20, 24, 26, 28, 30, 35, 35, 35, 35, 39]
# Contract types of direct hires, in draws; temporary work is drawn for the contracts' ETTI share.
DIRECT_TYPES = (
    [ContractType.CDD] * 4
    + [ContractType.CDI] * 3
    + [
        ContractType.CDDI,
        ContractType.PROFESSIONALISATION,
        ContractType.APPRENTICESHIP,
    ]
)
# Hiring stops this long before the end of the contract, and no placement starts after it.
LAST_HIRE_BEFORE_END = datetime.timedelta(days=60)


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def _distance_km(a, b):
    """Equirectangular distance between two communes, good enough within Île-de-France."""
    x = math.radians(b.longitude - a.longitude) * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 6371 * math.hypot(x, math.radians(b.latitude - a.latitude))


def criteria_on(candidate, day):
    """The criteria a person met on ``day``: their declared ones, the age criteria as their age was then."""
    age = people_rules.age_on(candidate.birth_date, day)
    codes = list(candidate.level1_criteria) + [
        c for c in candidate.level2_criteria if c not in (Level2Criterion.UNDER_26, Level2Criterion.OVER_50)
    ]
    if age < 26:
        codes.append(Level2Criterion.UNDER_26)
    elif age >= 50:
        codes.append(Level2Criterion.OVER_50)
    return codes


def reset():
    """Deletes the marketplace rows of the demo organisations (before the organisations go), by keys
    collected first (see ``demo.procurement.reset``)."""
    organisation_ids = keys_of(accounts_demo.organisations())
    Notification.objects.filter(recipient_id__in=organisation_ids).delete()
    position_ids = keys_of(Position.objects.filter(company_id__in=organisation_ids))
    # Information sessions first: their invitations hold the candidates and positions, the sessions their organiser.
    session_ids = keys_of(InformationSession.objects.filter(organiser_id__in=organisation_ids))
    for chunk in chunked(position_ids):
        session_ids += keys_of(InformationSession.objects.filter(positions__in=chunk).distinct())
    for chunk in chunked(sorted(set(session_ids))):
        SessionInvitation.objects.filter(session_id__in=chunk).delete()
        InformationSession.objects.filter(pk__in=chunk).delete()
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


@dataclass
class Hire:
    """A placement being planned: who, on which position, when, and its hours month by month."""

    index: int
    position: Position
    contract_type: str
    weekly_hours: Decimal
    hired_on: datetime.date
    start: datetime.date
    end: datetime.date | None
    # Last month the person works on this contract (a CDI outlives its contract's need for them).
    until: datetime.date
    submission: Submission = None
    # When the facilitator checked the person's eligibility, before the hire.
    checked_on: datetime.date = None
    months: list = field(default_factory=list)


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
        awards = (
            Award.objects.filter(
                company__in=organisations,
                contract__state__in=(ContractState.AWARDED, ContractState.IN_PROGRESS, ContractState.CLOSED),
            )
            .select_related("contract__place_of_execution", "company")
            .order_by("contract_id", "pk")
        )
        self.companies_of = defaultdict(list)
        for award in awards:
            self.companies_of[award.contract].append(award.company)
        self.contracts = list(self.companies_of)
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
        self.tolerance = ClauseSettings.current().overtime_tolerance_percent
        self.taste = {}
        # Per person: the placements they hold, (start, end, weekly hours, number), to keep them within 48 h.
        self.busy = defaultdict(list)
        self.taken = set()
        self.submissions, self.logs = [], []
        self.written = 0

    def _actors(self, organisations):
        """The first member of each organisation acts for it (the facilitator's when it has none)."""
        User = get_user_model()
        actors = {}
        for user in User.objects.filter(memberships__organisation__in=organisations).order_by("pk").distinct():
            for org_id in user.memberships.values_list("organisation_id", flat=True):
                actors.setdefault(org_id, user)
        fallback = actors[self.facilitator.pk]
        return lambda organisation: actors.get(organisation.pk, fallback)

    def occupations_for(self, sector):
        wanted = OCCUPATIONS_BY_SECTOR.get(sector, OCCUPATIONS_BY_SECTOR[Sector.BUILDING])
        return [code for code in wanted if code in self.job_titles_of]

    # ---- The pools --------------------------------------------------------------------------------------

    def candidates(self):
        """People of the prescribers' pools, seeking close occupations of the trades the contracts need."""
        rng, faker, candidates, hidden = self.rng, self.faker, [], []
        demand = defaultdict(float)
        for contract in self.contracts:
            for code in self.occupations_for(contract.sector):
                demand[code] += 1 + contract.clause_hours / 5000
        trades = [(sector, self.occupations_for(sector)) for sector in OCCUPATIONS_BY_SECTOR]
        trades = [(sector, codes) for sector, codes in trades if codes]
        trade_weights = [sum(demand.get(c, 0.1) for c in codes) for _, codes in trades]
        for i in range(CANDIDATES_PER_SCALE * self.scale):
            sex = rng.choice([Sex.FEMALE, Sex.MALE])
            first = faker.first_name_female() if sex == Sex.FEMALE else faker.first_name_male()
            last = faker.last_name()
            birth = self.today - datetime.timedelta(days=rng.randint(19 * 365, 62 * 365))
            level1 = [c for c in Level1Criterion.values if rng.random() < 0.12]
            level2 = [
                c
                for c in Level2Criterion.values
                if c not in (Level2Criterion.UNDER_26, Level2Criterion.OVER_50) and rng.random() < 0.14
            ]
            age = people_rules.age_on(birth, self.today)
            if age < 26:
                level2.append(Level2Criterion.UNDER_26)
            elif age >= 50:
                level2.append(Level2Criterion.OVER_50)
            created = self.now - datetime.timedelta(days=rng.randint(30, 6 * 365))
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
                    consent_at=None if rng.random() < 0.02 else created,
                    consent_text_version="2026-01",
                    situation=rng.choice(Situation.values),
                    level1_criteria=level1,
                    level2_criteria=sorted(set(level2)),
                    qualification_level=rng.choice(QualificationLevel.values[:3]),
                    french_level=rng.choice(FrenchLevel.values[1:5]),
                    driving_licence=rng.random() < 0.3,
                    max_commute_km=rng.choice([5, 10, 10, 15, 20, 30]),
                    available_from=self.today - datetime.timedelta(days=rng.randint(0, 400)),
                    created_at=created,
                )
            )
            # One trade, one to three of its occupations: a mason seeks masonry, then close building trades.
            _, codes = rng.choices(trades, trade_weights)[0]
            sought = rng.sample(codes, k=min(len(codes), rng.choice([1, 1, 2, 3])))
            hidden.append((rng.gauss(0, 1), rng.randrange(GROUPS), sought))
        candidates = Candidate.objects.bulk_create(candidates, batch_size=BATCH)
        self._candidate_links(candidates, hidden)
        self.candidates_, self.hidden = candidates, hidden
        consenting = [i for i, c in enumerate(candidates) if c.consent_at]
        self.consenting = consenting
        self.by_occupation = defaultdict(list)
        for i in consenting:
            for code in hidden[i][2]:
                self.by_occupation[code].append(i)
        return candidates

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

    # ---- Submissions, by the hidden score -------------------------------------------------------------------

    def score(self, index, position):
        employability, group, sought = self.hidden[index]
        taste = self.taste.setdefault(position.company_id, [self.rng.gauss(0, 1) for _ in range(GROUPS)])
        return (
            employability
            + 0.6 * taste[group]
            + 0.8 * (position.job_title.occupation_id in sought)
            - 0.05 * _distance_km(self.candidates_[index].commune, position.commune)
            + self.rng.gauss(0, 0.8)
        )

    def _path(self, score, *, can_hire, live=False):
        """The states a submission goes through after "submitted", from its hidden score. ``can_hire``: the
        opening is still free and the person free and eligible; else a would-be hire is refused."""
        rng = self.rng
        if live:  # stop somewhere along the way
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
        if can_hire is True:
            return path + [(S.HIRED, "")]
        return path + [(S.REFUSED, can_hire or RefusalReason.POSITION_FILLED)]

    def submit(self, index, position, start, path):
        """A submission with its history, from ``start`` on."""
        rng, candidate = self.rng, self.candidates_[index]
        prescriber_actor = self.actor_of(candidate.prescriber)
        company_actor = self.actor_of(position.company)
        facilitator_actor = self.actor_of(self.facilitator)
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
                at = min(at + datetime.timedelta(days=rng.randint(1, 7), hours=rng.randint(0, 8)), self.now)
            if target == S.SENT_TO_COMPANY:
                submission.reached_company_at = at
            self.logs.append((submission, source, target, actor, org, reason, at))
        submission.state, submission.state_changed_at = steps[-1][1], at
        submission.refusal_reason = steps[-1][4] if steps[-1][1] == S.REFUSED else ""
        self.submissions.append(submission)
        self.taken.add((index, id(position)))
        return submission

    def free(self, index, start, end, weekly):
        others = [
            (number, hours)
            for other_start, other_end, hours, number in self.busy[index]
            if people_rules.overlaps(start, end, other_start, other_end)
        ]
        return people_rules.check_concurrent_hours(weekly, others) is None

    def eligible(self, index, *, checked_on, hired_on):
        """In the pool before, of working age when hired, eligible on the day the facilitator checked."""
        candidate = self.candidates_[index]
        age = people_rules.age_on(candidate.birth_date, hired_on)
        return (
            18 <= age < 65
            and candidate.created_at.date() < checked_on - datetime.timedelta(days=30)
            and criteria_make_eligible(criteria_on(candidate, checked_on))
        )

    # ---- Hires that make up each contract's placement hours ----------------------------------------------

    def hires(self):
        """For each contract, people hired month after month until their hours reach the plan."""
        self.positions, self.planned = [], []
        for contract in self.contracts:
            contract_plan = procurement_demo.plan(contract, self.today)
            if contract_plan.placement_hours <= 0 or not contract_plan.months:
                continue
            self._fill(contract, contract_plan)
        return self.planned

    def _fill(self, contract, contract_plan):
        rng = self.rng
        months = contract_plan.months
        occupations = self.occupations_for(contract.sector)
        if not occupations:
            return
        budget = contract_plan.placement_hours
        temporary_left = contract_plan.temporary_hours
        monthly = budget / len(months)
        # A person's month is 60 to 170 h: on a small clause one more month would double it. Once the plan is
        # met (give or take 5 %), the hours the people work go to the company's other sites, not to this clause.
        most = budget * Decimal("1.05")
        positions = {}
        active, target, done = [], Decimal(0), Decimal(0)
        for month in months:
            target += monthly
            for hire in active:
                # Once the month's share is done, the others work on the company's other sites.
                if done < target + monthly / 3 and hire.start <= rules.last_of_month(month) and month <= hire.until:
                    done += self._work(hire, month, most=most - done)
            tries = 0
            while done + 40 < target and tries < 4:
                tries += 1
                remaining = budget - done
                temporary = temporary_left > 0 and rng.random() < float(temporary_left / max(remaining, 1))
                hire = self._hire(contract, month, months, occupations, positions, remaining, temporary)
                if hire is None:
                    continue
                hours = self._work(hire, month, most=most - done)
                done += hours
                if temporary:
                    temporary_left -= hours
                active.append(hire)
        self.planned += active

    def _work(self, hire, month, *, most):
        """The hours of one month: the weekly hours over the working days within the placement, give or take
        absences and some overtime, never above the cap the services would apply nor ``most`` (what the clause
        still takes); less than a day's work is not declared."""
        cap = rules.monthly_cap(
            month=month,
            weekly_hours=hire.weekly_hours,
            starts_on=hire.start,
            ends_on=hire.end,
            tolerance_percent=self.tolerance,
        )
        if not cap.working_days:
            return Decimal(0)
        worked = hire.weekly_hours * cap.working_days / 5 * Decimal(str(self.rng.uniform(0.8, 1.06)))
        hours = min(procurement_demo.to_half_hour(worked), cap.hours)
        if hours > most:
            hours = procurement_demo.to_half_hour(most) if most >= hire.weekly_hours / 5 else Decimal(0)
        if hours > 0:
            hire.months.append((month, hours))
        return hours

    def _hire(self, contract, month, months, occupations, positions, remaining, temporary):
        rng = self.rng
        last_day = min(rules.last_of_month(month), self.today - datetime.timedelta(days=1))
        start = min(max(month + datetime.timedelta(days=rng.randint(0, 14)), contract.hours_start), last_day)
        if start < contract.hours_start or (contract.ends_on and start > contract.ends_on - LAST_HIRE_BEFORE_END):
            return None
        company = rng.choice(self.companies_of[contract])
        contract_type = ContractType.TEMPORARY if temporary else rng.choice(DIRECT_TYPES)
        weekly = Decimal(rng.choice(WEEKLY_HOURS))
        # About as many months as the contract still needs from one person, a CDI only for a long need.
        need = int(remaining / (weekly * Decimal("3.9"))) + 1
        if contract_type == ContractType.CDI and need < 12:
            contract_type = ContractType.CDD
        if contract_type == ContractType.CDI:
            end, until = None, rules.add_months(month, min(need, rng.randint(12, 36)))
        else:
            length = max(1, min(need + rng.randint(-1, 2), 3 if contract_type == ContractType.TEMPORARY else 18))
            end = rules.add_months(start.replace(day=1), length) + datetime.timedelta(days=start.day - 2)
            until = rules.first_of_month(end)
        occupation = rng.choice(occupations)
        key = (company.pk, occupation, contract_type, weekly)
        position = positions.get(key)
        if position is None:
            position = Position(
                contract=contract,
                company=company,
                job_title=rng.choice(self.job_titles_of[occupation]),
                commune=contract.place_of_execution or rng.choice(self.arrondissements),
                contract_type=contract_type,
                weekly_hours=weekly,
                start_date=start,
                openings=0,
                qualification_level=rng.choice(["", "", QualificationLevel.LEVEL_3]),
                french_level=rng.choice(["", FrenchLevel.A2, FrenchLevel.B1]),
                driving_licence=rng.random() < 0.15,
                description="Poste proposé dans le cadre de la clause sociale du marché (démonstration).",
                state=PositionState.FILLED,
                created_by=self.actor_of(company),
                created_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
                - datetime.timedelta(days=60),
            )
            positions[key] = position
            self.positions.append(position)  # saved even if nobody is hired: closed unfilled
        hired_on = start - datetime.timedelta(days=rng.randint(0, 10))
        checked_on = hired_on - datetime.timedelta(days=rng.randint(5, 60))
        applied = timezone.make_aware(datetime.datetime.combine(hired_on, datetime.time(10))) - datetime.timedelta(
            days=rng.randint(25, 35)
        )
        hired = None
        for _ in range(rng.randint(4, 10) if position.openings == 0 else rng.randint(2, 6)):
            index = self._applicant(occupation)
            if index is None or (index, id(position)) in self.taken:
                continue
            score = self.score(index, position)
            can_hire = hired is None
            if can_hire and score > 0.7:
                if not self.eligible(index, checked_on=checked_on, hired_on=hired_on):
                    can_hire = RefusalReason.NOT_ELIGIBLE
                elif not self.free(index, start, end, weekly):
                    can_hire = RefusalReason.NOT_AVAILABLE
            elif not can_hire:
                can_hire = RefusalReason.POSITION_FILLED
            path = self._path(score, can_hire=can_hire)
            submission = self.submit(index, position, applied + datetime.timedelta(hours=rng.randint(0, 72)), path)
            if submission.state == S.HIRED:
                hired = (index, submission)
        if hired is None:
            return None
        index, submission = hired
        position.openings += 1
        hire = Hire(
            index=index,
            position=position,
            contract_type=contract_type,
            weekly_hours=weekly,
            hired_on=hired_on,
            start=start,
            end=end,
            until=until,
            submission=submission,
            checked_on=checked_on,
        )
        self.busy[index].append((start, end, weekly, f"prévue le {start:%d/%m/%Y}"))
        return hire

    def _applicant(self, occupation):
        """Mostly people seeking the position's occupation, some others (the prescribers' hunches)."""
        rng = self.rng
        pool = self.by_occupation.get(occupation) if rng.random() < 0.75 else None
        pool = pool or self.consenting
        return rng.choice(pool) if pool else None

    # ---- Writing ---------------------------------------------------------------------------------------------

    def write(self, hires, ledger):
        """Positions, submissions and their history, eligibility checks, placements, their ledger lines and
        monthly statements (checked by ``procurement.rules`` as they go in)."""
        rng = self.rng
        checker = self.actor_of(self.facilitator)
        for position in self.positions:
            if not position.openings:
                position.openings, position.state = 1, PositionState.CLOSED
        Position.objects.bulk_create(self.positions, batch_size=BATCH)
        self._write_submissions()
        checks, placements = [], []
        for hire in hires:
            candidate = self.candidates_[hire.index]
            checked_on = hire.checked_on
            checked_at = timezone.make_aware(datetime.datetime.combine(checked_on, datetime.time(11)))
            codes = criteria_on(candidate, checked_on)
            checks.append(
                EligibilityCheck(
                    candidate=candidate,
                    criteria=[{"criterion": c, "proof": "prescriber_certificate"} for c in codes],
                    is_eligible=criteria_make_eligible(codes),
                    checked_by=checker,
                    checked_by_organisation=self.facilitator,
                    checked_at=checked_at,
                    valid_until=checked_on + datetime.timedelta(days=settings.ELIGIBILITY_VALIDITY_DAYS),
                )
            )
            decided_at = timezone.make_aware(datetime.datetime.combine(hire.hired_on, datetime.time(15)))
            placement = Placement(
                submission=hire.submission,
                position=hire.position,
                contract_type=hire.contract_type,
                hired_on=hire.hired_on,
                start_date=hire.start,
                planned_end_date=hire.end,
                weekly_hours=hire.weekly_hours,
                state=PlacementState.VALIDATED,
                decided_by=checker,
                decided_at=min(decided_at + datetime.timedelta(days=rng.randint(1, 5)), self.now),
                created_at=decided_at,
            )
            if hire.end and hire.end < self.today:
                employability = self.hidden[hire.index][0]
                durable = rng.random() < _sigmoid(0.4 + employability)
                placement.outcome = rng.choice(
                    [PlacementOutcome.CDI, PlacementOutcome.LONG_CDD, PlacementOutcome.QUALIFYING_TRAINING]
                    if durable
                    else [PlacementOutcome.SHORT_CONTRACT, PlacementOutcome.JOB_SEEKING, PlacementOutcome.DROPPED_OUT]
                )
                placement.outcome_recorded_at = timezone.make_aware(
                    datetime.datetime.combine(hire.end, datetime.time(12))
                )
            placements.append(placement)
        EligibilityCheck.objects.bulk_create(checks, batch_size=BATCH)
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        sources = []
        for hire, placement in zip(hires, placements, strict=True):
            sources.append(
                HoursSource(
                    contract=hire.position.contract,
                    company=hire.position.company,
                    modality=MODALITY_BY_CONTRACT_TYPE.get(hire.contract_type, Modality.DIRECT_HIRE),
                    label=f"Mise à l'emploi n° {placement.pk} – {hire.position.job_title.label} "
                    f"({placement.get_contract_type_display()})",
                    starts_on=hire.start,
                    ends_on=hire.end,
                    weekly_hours=hire.weekly_hours,
                    created_at=placement.decided_at,
                )
            )
        HoursSource.objects.bulk_create(sources, batch_size=BATCH)
        for placement, source in zip(placements, sources, strict=True):
            placement.hours_source = source
        Placement.objects.bulk_update(placements, ["hours_source"], batch_size=BATCH)
        for hire, source in zip(hires, sources, strict=True):
            ledger.add(
                source=source,
                contract=source.contract,
                bounds=rules.Bounds.of(source, source.contract),
                monthly_hours=hire.months,
                declared_by_id=self.actor_of(source.company).pk,
            )
        return placements, len(checks)

    def _write_submissions(self):
        Submission.objects.bulk_create(self.submissions, batch_size=BATCH)
        SubmissionTransition.objects.bulk_create(
            (
                SubmissionTransition(
                    submission=s, from_state=src, to_state=dst, actor=a, actor_organisation=o, reason=r, at=at
                )
                for s, src, dst, a, o, r, at in self.logs
            ),
            batch_size=BATCH,
        )
        self.written += len(self.submissions)
        self.submissions, self.logs = [], []

    # ---- More past applications, and the live part -------------------------------------------------------------

    def past_applications(self):
        """More applications to the filled positions, up to the volume the matcher trains on: the openings
        are taken, so those the company would hire are refused as « poste déjà pourvu »."""
        rng, count = self.rng, 0
        target = PAST_SUBMISSIONS_PER_SCALE * self.scale - self.written
        positions = [p for p in self.positions if p.pk]
        guard = 0
        while count < target and positions and guard < target * 3:
            guard += 1
            position = rng.choice(positions)
            index = self._applicant(position.job_title.occupation_id)
            if index is None or (index, id(position)) in self.taken:
                continue
            score = self.score(index, position)
            applied = timezone.make_aware(datetime.datetime.combine(position.start_date, datetime.time(10)))
            start = applied - datetime.timedelta(days=rng.randint(10, 50))
            self.submit(index, position, start, self._path(score, can_hire=RefusalReason.POSITION_FILLED))
            count += 1
        return count

    def live_positions(self):
        """Open positions on contracts in execution, posted lately, with submissions at every early stage."""
        rng, positions = self.rng, []
        running = [
            c
            for c in self.contracts
            if c.state == ContractState.IN_PROGRESS
            and (not c.ends_on or c.ends_on > self.today + datetime.timedelta(days=120))
        ]
        if not running:
            return []
        for _ in range(LIVE_POSITIONS_PER_SCALE * self.scale):
            contract = rng.choice(running)
            occupations = self.occupations_for(contract.sector)
            if not occupations:
                continue
            company = rng.choice(self.companies_of[contract])
            created = self.now - datetime.timedelta(days=rng.randint(0, 100))
            positions.append(
                Position(
                    contract=contract,
                    company=company,
                    job_title=rng.choice(self.job_titles_of[rng.choice(occupations)]),
                    commune=contract.place_of_execution or rng.choice(self.arrondissements),
                    contract_type=rng.choice(DIRECT_TYPES),
                    weekly_hours=Decimal(rng.choice(WEEKLY_HOURS)),
                    start_date=timezone.localdate(created) + datetime.timedelta(days=rng.randint(20, 60)),
                    openings=rng.randint(1, 5),
                    qualification_level=rng.choice(["", "", QualificationLevel.LEVEL_3]),
                    french_level=rng.choice(["", FrenchLevel.A2, FrenchLevel.B1]),
                    driving_licence=rng.random() < 0.15,
                    description="Poste proposé dans le cadre de la clause sociale du marché (démonstration).",
                    state=PositionState.OPEN,
                    created_by=self.actor_of(company),
                    created_at=created,
                )
            )
        Position.objects.bulk_create(positions, batch_size=BATCH)
        for position in positions:
            for _ in range(rng.randint(2, 8)):
                index = self._applicant(position.job_title.occupation_id)
                if index is None or (index, id(position)) in self.taken:
                    continue
                start = self.now - datetime.timedelta(days=rng.randint(1, 40))
                self.submit(index, position, start, self._path(0, can_hire=False, live=True))
        return positions

    def live_checks(self):
        """Recent checks for a share of the pools, so that the live submissions can be validated."""
        rng, checks = self.rng, []
        for candidate in self.candidates_:
            if candidate.consent_at and rng.random() < 0.3:
                checked_on = self.today - datetime.timedelta(days=rng.randint(1, 150))
                codes = criteria_on(candidate, checked_on)
                if not codes:
                    continue
                checks.append(
                    EligibilityCheck(
                        candidate=candidate,
                        criteria=[{"criterion": c, "proof": "prescriber_certificate"} for c in codes],
                        is_eligible=criteria_make_eligible(codes),
                        checked_by=self.actor_of(self.facilitator),
                        checked_by_organisation=self.facilitator,
                        checked_at=timezone.make_aware(datetime.datetime.combine(checked_on, datetime.time(11))),
                        valid_until=checked_on + datetime.timedelta(days=settings.ELIGIBILITY_VALIDITY_DAYS),
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

    def information_sessions(self, submissions):
        """Through the services, as a facilitator would: an information session held yesterday for the open
        position with the most people waiting, its attendance recorded (the outcomes are the facilitator's to
        give), and one planned in a week for the next one, some people confirmed by their prescribers. Submissions
        keep their state: seeding stays deterministic."""
        waiting = {}
        for s in submissions:
            if s.state == S.SUBMITTED and s.position.state == PositionState.OPEN and s.candidate.consent_at:
                waiting.setdefault(s.position_id, []).append(s)
        busiest = sorted(waiting.values(), key=lambda subs: (-len(subs), subs[0].position_id))[:2]
        facilitator, actor = self.facilitator, self.actor_of(self.facilitator)
        created = []
        for days, subs in zip((-1, 7), busiest, strict=False):
            position = subs[0].position
            starts = self.now + datetime.timedelta(days=days, hours=9, minutes=30)
            session = sessions.save_session(
                session=InformationSession(
                    title=f"Recrutement {position.job_title.label}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    address="32 rue des Envierges",
                    commune=self.arrondissements[19 % len(self.arrondissements)],
                    capacity=12,
                ),
                positions=[position],
                actor=actor,
                organisation=facilitator,
            )
            pairs = [(s.candidate, position) for s in subs[:8]]
            invitations = sessions.invite_many(session=session, pairs=pairs, actor=actor, organisation=facilitator)
            for n, invitation in enumerate(invitations):
                if n % 4 != 3:  # most answer yes; the others wait
                    prescriber = invitation.candidate.prescriber
                    sessions.move_invitation(
                        invitation=invitation,
                        target="confirmed",
                        actor=self.actor_of(prescriber),
                        organisation=prescriber,
                    )
            if days < 0:
                confirmed = [i.pk for n, i in enumerate(invitations) if n % 4 != 3]
                sessions.record_attendance(
                    session=session,
                    present=confirmed[:-1],
                    absent=confirmed[-1:],
                    actor=actor,
                    organisation=facilitator,
                )
            created.append(session)
        return created


def seed(*, scale, rng, faker):
    """Deterministic for a given ``rng`` and ``faker`` seed; needs the accounts and procurement demos first."""
    seeder = _Seeder(scale=scale, rng=rng, faker=faker)
    candidates = seeder.candidates()
    hires = seeder.hires()
    ledger = procurement_demo.Ledger(
        today=seeder.today, now=timezone.now(), facilitator=seeder.actor_of(seeder.facilitator), rng=rng
    )
    placements, checks = seeder.write(hires, ledger)
    seeder.past_applications()
    live = seeder.live_positions()
    live_submissions = [s for s in seeder.submissions if s.position.state == PositionState.OPEN]
    seeder._write_submissions()
    statements = ledger.close()
    live_checks = seeder.live_checks()
    notifications = seeder.notifications(live_submissions)
    information_sessions = seeder.information_sessions(live_submissions)
    changes.everything_changed()  # created in bulk: the matcher starts again from the tables
    return {
        "candidats": len(candidates),
        "offres": len(seeder.positions) + len(live),
        "candidatures": seeder.written,
        "mises à l'emploi": len(placements),
        "vérifications d'éligibilité": checks + len(live_checks),
        "relevés d'heures des mises à l'emploi": statements,
        "notifications": len(notifications),
        "informations collectives": len(information_sessions),
    }
