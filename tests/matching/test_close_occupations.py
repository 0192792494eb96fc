"""France Travail's close occupations (*mobilités*) in the matcher: listed first, in France Travail's order,
and the strongest sign that a candidate can do a position's trade."""

import io

import pytest
from django.core.management import call_command

from matching import engine
from matching.reasons import CONTENT_REASON, EXPERT_REASON
from reference.models import JobTitle, OccupationMobility
from tests.e2e.rome import real_close_occupations, real_occupation
from tests.marketplace.factories import CandidateFactory, PositionFactory
from tests.reference.factories import JobTitleFactory, OccupationFactory, paris_arrondissement

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(rome):
    """Experts who see masonry lead to kitchen work (nothing in the texts says so) and to formwork second."""
    paving = OccupationFactory(code_rome="F9703", label="Pavage", skills=rome["skills"][0:5])
    for rank, target in enumerate([rome["kitchen"], rome["formwork"]], start=1):
        OccupationMobility.objects.create(source=rome["masonry"], target=target, rank=rank)
    return {"paving": paving}


def listed(codes, k=10):
    return [(c.code_rome, c.origin, c.rank) for c in engine.close_occupations(codes, k=k)]


def test_the_experts_targets_come_first_in_their_order_then_the_content_neighbours(rome, experts):
    assert listed(["F9701"]) == [
        ("G9801", engine.Origin.EXPERTS, 1),
        ("F9702", engine.Origin.EXPERTS, 2),
        ("F9703", engine.Origin.CONTENT, None),
    ]
    assert listed(["F9701"], k=1) == [("G9801", engine.Origin.EXPERTS, 1)]
    (first, *_) = engine.close_occupations(["F9701"])
    assert (first.label, first.origin_label) == ("Cuisine", "métier proche selon France Travail")


def test_an_edge_is_read_one_way_only(rome, experts):
    # Kitchen work leads nowhere according to the experts, and shares nothing with masonry.
    assert [code for code, origin, _ in listed(["G9801"]) if origin == engine.Origin.EXPERTS] == []
    assert engine.close_occupations(["G9801"])[-1].score < engine.close_occupations(["F9701"])[0].score


def test_a_candidates_several_occupations_interleave_by_rank(rome, experts):
    OccupationMobility.objects.create(source=rome["formwork"], target=experts["paving"], rank=1)
    assert listed(["F9701", "F9702"]) == [
        ("G9801", engine.Origin.EXPERTS, 1),
        ("F9703", engine.Origin.EXPERTS, 1),
    ]


def test_an_unknown_occupation_has_no_close_ones(rome):
    assert engine.close_occupations(["Z0000"]) == []


def test_a_candidate_seeking_an_experts_close_occupation_ranks_with_a_french_reason(
    rome, experts, company_org, make_candidate
):
    kitchen_position = PositionFactory(company=company_org, job_title=rome["cook"], commune=paris_arrondissement(19))
    # Masonry leads to kitchen work according to the experts; formwork shares nothing with it.
    mason = make_candidate(job_titles=["mason"], arrondissement=20)
    formworker = make_candidate(job_titles=["formworker"], arrondissement=19)
    proposals = {p.object_id: p for p in engine.rank_candidates(kitchen_position.pk)}
    assert proposals[mason.pk].reasons[0] == f"{EXPERT_REASON} d'un métier recherché"
    assert proposals[mason.pk].score > proposals[formworker.pk].score
    assert not {EXPERT_REASON, CONTENT_REASON} & set(proposals[formworker.pk].reasons)


def test_a_close_occupation_by_content_says_so(rome, experts, mason_position, make_candidate):
    # Paving shares five of masonry's six skills, and no experts' edge leads from it to masonry.
    paver = make_candidate(job_titles=[], arrondissement=19)
    paver.job_titles.set([JobTitleFactory(label="Paveur", occupation=experts["paving"])])
    (proposal,) = engine.rank_candidates(mason_position.pk)
    assert proposal.reasons[0] == CONTENT_REASON


# Real ROME 4.0 rows: a lumberjack's post in the Bois de Vincennes (Paris 12e), and people who live around it.
LUMBERJACK, FOREST_WORKER, GREEN_SPACES, BARMAN, KITCHEN_HAND = "A1201", "A1210", "A1203", "G1801", "G1602"


@pytest.fixture
def real_rome(db):
    occupations = {
        code: real_occupation(code) for code in (LUMBERJACK, FOREST_WORKER, GREEN_SPACES, BARMAN, KITCHEN_HAND)
    }
    real_close_occupations()
    return occupations


def person(occupation, arrondissement, prescriber, **kwargs):
    """Someone seeking the occupation's first job title who declares six of its skills, as the demo does."""
    candidate = CandidateFactory(
        prescriber=prescriber,
        job_titles=[JobTitle.objects.filter(occupation=occupation).order_by("code_ogr").first()],
        commune=paris_arrondissement(arrondissement),
        max_commute_km=10,
        **kwargs,
    )
    candidate.skills.set(occupation.skills.order_by("code_ogr")[:6])
    return candidate


def test_a_facilitator_would_call_the_lumberjack_then_the_forest_worker_not_the_barman_next_door(
    real_rome, company_org, prescriber_org
):
    assert OccupationMobility.objects.filter(source_id=FOREST_WORKER, target_id=LUMBERJACK).exists()
    post = PositionFactory(
        company=company_org,
        job_title=JobTitle.objects.filter(occupation_id=LUMBERJACK).order_by("code_ogr").first(),
        commune=paris_arrondissement(12),
        description="Abattage et élagage dans le bois de Vincennes.",
    )
    people = {
        "barman next door": person(real_rome[BARMAN], 12, prescriber_org),
        "kitchen hand next door": person(real_rome[KITCHEN_HAND], 12, prescriber_org),
        "lumberjack in the 11e": person(real_rome[LUMBERJACK], 11, prescriber_org),
        "forest worker in the 20e": person(real_rome[FOREST_WORKER], 20, prescriber_org),
        "green spaces agent in the 13e": person(real_rome[GREEN_SPACES], 13, prescriber_org),
    }
    names = {candidate.pk: name for name, candidate in people.items()}

    proposals = engine.rank_candidates(post.pk)

    ranked = [names[p.object_id] for p in proposals]
    assert ranked[:2] == ["lumberjack in the 11e", "forest worker in the 20e"]
    # The experts do not list green spaces among a lumberjack's close trades; their content similarity
    # (0.25) does not outweigh living next door, so nothing is asserted about its place among the rest.
    assert set(ranked[2:]) == {"green spaces agent in the 13e", "barman next door", "kitchen hand next door"}
    assert proposals[0].reasons[0] == "même métier recherché"
    assert proposals[1].reasons[0] == f"{EXPERT_REASON} d'un métier recherché"


def test_a_forest_worker_is_offered_the_lumberjacks_post_before_a_bar_next_door(real_rome, company_org, prescriber_org):
    def post(occupation, arrondissement):
        return PositionFactory(
            company=company_org,
            job_title=JobTitle.objects.filter(occupation=occupation).order_by("code_ogr").first(),
            commune=paris_arrondissement(arrondissement),
        )

    bar = post(real_rome[BARMAN], 20)
    woods = post(real_rome[LUMBERJACK], 12)
    forest_worker = person(real_rome[FOREST_WORKER], 20, prescriber_org)

    proposals = engine.rank_positions(forest_worker.pk)

    assert [p.object_id for p in proposals] == [woods.pk, bar.pk]
    assert proposals[0].reasons[0] == f"{EXPERT_REASON} d'un métier recherché"


def test_evaluate_matcher_judges_the_content_alone_against_the_experts_lists(rome, experts):
    out = io.StringIO()
    call_command("evaluate_matcher", "--skip-ranking", stdout=out)
    table = out.getvalue().split("Jugé sur : listes des experts de France Travail")[1].split("Jugé sur")[0]
    header, *lines = [line for line in table.splitlines()[1:] if line.strip()]
    column = header.split().index("nDCG@10")
    ndcg = {line[:36].strip(): float(line[36:].split()[column]) for line in lines}
    # Masonry's experts name kitchen work first; by content, paving and formwork come before it.
    assert ndcg["contenu seul (mélange de production)"] < 1
    assert ndcg["production : experts puis contenu"] == 1


def test_the_api_gives_the_experts_targets_first_each_marked_with_its_origin(api_as, prescriber, rome, experts):
    response = api_as(prescriber).get("/api/v1/occupations/f9701/similar/")
    assert response.status_code == 200
    assert [(row["code_rome"], row["origin_label"], row["rank"]) for row in response.json()] == [
        ("G9801", "métier proche selon France Travail", 1),
        ("F9702", "métier proche selon France Travail", 2),
        ("F9703", "compétences proches", None),
    ]
    scores = [row["score"] for row in response.json()]
    assert scores == sorted(scores, reverse=True) and scores[1] >= 0.75 > scores[2]
    assert [row["code_rome"] for row in api_as(prescriber).get("/api/v1/occupations/F9701/similar/?k=2").json()] == [
        "G9801",
        "F9702",
    ]


def test_the_candidates_page_shows_the_experts_close_occupations_first(
    client_as, prescriber, rome, experts, make_candidate
):
    candidate = make_candidate(job_titles=["mason"])
    page = client_as(prescriber).get(f"/candidats/{candidate.pk}/offres-proposees/").content.decode()
    kitchen = page.index("Cuisine (G9801) <span")
    formwork = page.index("Coffrage (F9702) <span")
    paving = page.index("Pavage (F9703) <span")
    assert kitchen < formwork < paving
    assert page[kitchen:formwork].count("métier proche selon France Travail") == 1
    assert "compétences proches" in page[paving:]
