"""Migrations that move or reshape models keep their rows, on SQLite and PostgreSQL: the notification model and
the matcher's change log moved apps (to notifications, to the marketplace) with their rows and ids (their tables
are renamed, not recreated); the transition logs took one shape (``accounts.workflows.TransitionLog``) keeping
their rows, and the objects that had none got theirs, rebuilt from the audit trail. One test, so that the database
goes back and forth through the migrations once (the costly part)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("marketplace", "0003_candidate_updated_and_anonymised_at"),
    ("matching", "0001_initial"),
    ("notifications", None),
    ("procurement", "0003_seed_sector_defaults"),
    # Unchanged, listed so that their models are in the old state.
    ("audit", "0002_append_only_trigger"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("reference", "0003_occupation_mobility"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([(app, name) for app, name in targets if name]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_the_latest_migrations():
    """Whatever happens in the test, the database ends at the latest migrations, as the other tests need it."""
    yield
    migrate(latest())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_rows_survive_the_migrations_that_move_or_reshape_their_models():
    old = migrate(BEFORE)
    Organisation = old.get_model("accounts", "Organisation")
    prescriber = Organisation.objects.create(
        name="Mission locale", kind="prescriber", prescriber_kind="france_travail", siret="13002526500013"
    )
    logs = old_logs(old, prescriber)
    OldNotification = old.get_model("marketplace", "Notification")
    request = OldNotification.objects.create(
        recipient=prescriber,
        text="MEP (Alice Martin) vous propose de positionner Aïcha Diallo sur l'offre « Maçon » de Bâtir.",
        link="/candidats/42/offres-proposees/",
    )
    refusal = OldNotification.objects.create(
        recipient=prescriber,
        text="Mise à l'emploi n° 7 refusée par le facilitateur : Mme Diallo n'a pas son CACES.",
        link="/mises-a-l-emploi/7/",
    )
    change = old.get_model("matching", "IndexChange").objects.create(kind="candidate", object_id=42)

    new = migrate(latest())

    Notification = new.get_model("notifications", "Notification")
    ContentType = new.get_model("contenttypes", "ContentType")
    moved = Notification.objects.get(pk=request.pk)
    assert moved.recipient_id == prescriber.pk and moved.link == request.link
    assert "Diallo" not in moved.text and moved.details == request.text
    assert (moved.subject_type, moved.subject_id) == (ContentType.objects.get(model="candidate"), 42)
    refused = Notification.objects.get(pk=refusal.pk)
    assert refused.text == "Mise à l'emploi n° 7 refusée par le facilitateur."
    assert refused.details == "Motif : Mme Diallo n'a pas son CACES."
    assert (refused.subject_type.model, refused.subject_id) == ("placement", 7)
    assert new.get_model("marketplace", "Change").objects.filter(pk=change.pk, kind="candidate", object_id=42).exists()
    # New rows follow the old ones.
    assert Notification.objects.create(recipient_id=prescriber.pk, text="Suite").pk > refusal.pk
    check_logs(new, logs)


AT = datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC)


def old_logs(old, prescriber):
    """Before the transition logs took one shape: a contract's log with a note; a submission's with the
    organisation as ``actor_organisation``, a refusal's code and a comment; a position, a placement and hours
    statements with no log, what happened to them known from their columns and the audit trail."""
    get = old.get_model
    User, Organisation, Membership = (
        get("accounts", "User"),
        get("accounts", "Organisation"),
        get("accounts", "Membership"),
    )
    ContentType, AuditEvent = get("contenttypes", "ContentType"), get("audit", "AuditEvent")
    organisations = {
        kind: Organisation.objects.create(name=f"Organisation {kind}", kind=kind, siret=f"1300252650{n:04d}")
        for n, kind in enumerate(["buyer", "company", "facilitator"])
    }
    organisations["prescriber"] = prescriber
    users = {}
    for kind, organisation in organisations.items():
        users[kind] = User.objects.create(email=f"{kind}@exemple.test", password="!")
        Membership.objects.create(user=users[kind], organisation=organisation)

    def event(action, target, model, kind, at, **details):
        return AuditEvent.objects.create(
            action=action,
            actor=users[kind],
            actor_organisation=organisations[kind],
            content_type=ContentType.objects.get(app_label=model[0], model=model[1]),
            object_id=target.pk,
            channel="web",
            at=at,
            details=details,
        )

    commune = get("reference", "Commune").objects.create(
        code_insee="75119",
        name="Paris 19e",
        slug="paris-19e",
        department="75",
        postcodes="75019",
        latitude=48.9,
        longitude=2.4,
        search_text="paris 19e",
    )
    domain, _ = get("reference", "OccupationDomain").objects.get_or_create(code="F")
    occupation = get("reference", "Occupation").objects.create(code_rome="F1703", label="Maçonnerie", domain=domain)
    job = get("reference", "JobTitle").objects.create(
        code_ogr=1, label="Maçon", short_label="Maçon", occupation=occupation, search_text="macon"
    )
    contract = get("procurement", "Contract").objects.create(
        buyer=organisations["buyer"],
        reference="2024-1",
        title="École",
        sector="building",
        amount_excl_vat=1000000,
        created_by=users["buyer"],
        created_at=AT,
        state="submitted",
    )
    get("procurement", "ContractTransition").objects.create(
        contract=contract,
        from_state="draft",
        to_state="submitted",
        actor=users["buyer"],
        organisation=organisations["buyer"],
        at=AT + datetime.timedelta(days=1),
        note="Prêt pour le facilitateur",
    )
    position = get("marketplace", "Position").objects.create(
        contract=contract,
        company=organisations["company"],
        job_title=job,
        commune=commune,
        contract_type="cdd",
        weekly_hours=35,
        start_date=datetime.date(2024, 4, 1),
        state="closed",
        created_by=users["company"],
        created_at=AT,
    )
    event(
        "position_moved",
        position,
        ("marketplace", "position"),
        "company",
        AT + datetime.timedelta(days=1),
        **{"from": "draft", "to": "open"},
    )
    event(
        "position_moved",
        position,
        ("marketplace", "position"),
        "company",
        AT + datetime.timedelta(days=9),
        **{"from": "open", "to": "closed"},
    )
    candidates = [
        get("marketplace", "Candidate").objects.create(
            prescriber=prescriber,
            first_name="Awa",
            last_name=f"Diallo{n}",
            birth_date=datetime.date(2001, 5, 12),
            sex="f",
            commune=commune,
            situation="job_seeker",
            qualification_level="3",
            french_level="B1",
            available_from=datetime.date(2024, 3, 1),
        )
        for n in range(2)
    ]
    Submission, Log = get("marketplace", "Submission"), get("marketplace", "SubmissionTransition")
    refused = Submission.objects.create(
        candidate=candidates[0],
        position=position,
        state="refused",
        refusal_reason="profile_mismatch",
        submitted_by=users["prescriber"],
    )
    hired = Submission.objects.create(
        candidate=candidates[1], position=position, state="hired", submitted_by=users["prescriber"]
    )
    for submission, steps in [
        (
            refused,
            [
                ("", "submitted", "prescriber", "", "Motivée"),
                ("submitted", "refused", "facilitator", "profile_mismatch", "Pas de CACES"),
            ],
        ),
        (hired, [("", "submitted", "prescriber", "", ""), ("interview", "hired", "company", "", "")]),
    ]:
        for n, (source, target, kind, reason, note) in enumerate(steps):
            Log.objects.create(
                submission=submission,
                from_state=source,
                to_state=target,
                actor=users[kind],
                actor_organisation=organisations[kind],
                reason=reason,
                note=note,
                at=AT + datetime.timedelta(days=n),
            )
    source = get("procurement", "HoursSource").objects.create(
        contract=contract, company=organisations["company"], modality="direct_hire", label="Mise à l'emploi"
    )
    placement = get("marketplace", "Placement").objects.create(
        submission=hired,
        position=position,
        contract_type="cdd",
        hired_on=datetime.date(2024, 3, 2),
        start_date=datetime.date(2024, 3, 4),
        weekly_hours=35,
        state="validated",
        decided_by=users["facilitator"],
        decided_at=AT + datetime.timedelta(days=3),
        decision_note="Éligibilité vérifiée",
        hours_source=source,
    )
    event(
        "placement_validated", placement, ("marketplace", "placement"), "facilitator", AT + datetime.timedelta(days=3)
    )
    Statement = get("procurement", "HoursStatement")
    validated = Statement.objects.create(
        source=source,
        month=datetime.date(2024, 3, 1),
        hours=120,
        modality="direct_hire",
        state="validated",
        declared_by=users["company"],
        declared_at=AT + datetime.timedelta(days=31),
        decided_by=users["facilitator"],
        decided_at=AT + datetime.timedelta(days=33),
    )
    event(
        "hours_validated", validated, ("procurement", "hoursstatement"), "facilitator", AT + datetime.timedelta(days=33)
    )
    # Decided before the audit log existed: only its columns tell who did it.
    rejected = Statement.objects.create(
        source=source,
        month=datetime.date(2024, 4, 1),
        hours=120,
        modality="direct_hire",
        state="rejected",
        reason="Bulletin illisible",
        declared_by=users["company"],
        declared_at=AT + datetime.timedelta(days=61),
        decided_by=users["facilitator"],
        decided_at=AT + datetime.timedelta(days=62),
    )
    return {
        "organisations": organisations,
        "users": users,
        "contract": contract.pk,
        "position": position.pk,
        "refused": refused.pk,
        "hired": hired.pk,
        "placement": placement.pk,
        "validated": validated.pk,
        "rejected": rejected.pk,
    }


def check_logs(new, logs):
    o, u = logs["organisations"], logs["users"]

    def steps(model, field, pk):
        rows = new.get_model(*model).objects.filter(**{field: pk}).order_by("at", "pk")
        return [(r.from_state, r.to_state, r.actor_id, r.organisation_id, r.reason) for r in rows]

    assert steps(("procurement", "ContractTransition"), "contract", logs["contract"]) == [
        ("", "draft", u["buyer"].pk, o["buyer"].pk, ""),
        ("draft", "submitted", u["buyer"].pk, o["buyer"].pk, "Prêt pour le facilitateur"),
    ]
    assert steps(("marketplace", "SubmissionTransition"), "submission", logs["refused"]) == [
        ("", "submitted", u["prescriber"].pk, o["prescriber"].pk, "Motivée"),
        (
            "submitted",
            "refused",
            u["facilitator"].pk,
            o["facilitator"].pk,
            "Profil ne correspondant pas au poste : Pas de CACES",
        ),
    ]
    assert steps(("marketplace", "PositionTransition"), "position", logs["position"]) == [
        ("", "draft", u["company"].pk, o["company"].pk, ""),
        ("draft", "open", u["company"].pk, o["company"].pk, ""),
        ("open", "closed", u["company"].pk, o["company"].pk, ""),
    ]
    assert steps(("marketplace", "PlacementTransition"), "placement", logs["placement"]) == [
        ("", "pending", u["company"].pk, o["company"].pk, ""),
        ("pending", "validated", u["facilitator"].pk, o["facilitator"].pk, "Éligibilité vérifiée"),
    ]
    assert steps(("procurement", "StatementTransition"), "statement", logs["validated"]) == [
        ("", "declared", u["company"].pk, o["company"].pk, ""),
        ("declared", "validated", u["facilitator"].pk, o["facilitator"].pk, ""),
    ]
    assert steps(("procurement", "StatementTransition"), "statement", logs["rejected"]) == [
        ("", "declared", u["company"].pk, o["company"].pk, ""),
        ("declared", "rejected", u["facilitator"].pk, o["facilitator"].pk, "Bulletin illisible"),
    ]
