"""Every write path the matcher reads tells the marketplace's change log, which each process's index
replays: candidates imported from a file (issue 16: they were never ranked), hires, erasures."""

import pytest

from marketplace.models import Candidate
from matching import engine
from matching import index as matching_index
from tests.marketplace.factories import SubmissionFactory
from tests.marketplace.test_import import csv_upload, row
from tests.marketplace.test_workflow import hire_payload

pytestmark = pytest.mark.django_db


def ranked(position):
    return [p.object_id for p in engine.rank_candidates(position.pk, limit=100)]


def test_an_imported_candidate_is_ranked_at_once_and_after_a_restart(
    client_as, prescriber, rome, mason_position, pool, make_candidate
):
    before = ranked(mason_position)  # the index is built and saved, without the newcomer
    upload = csv_upload([row(rome["mason"], nom="Importée", commune="75119")])
    page = client_as(prescriber).post("/candidats/importer/", {"file": upload}, follow=True).content.decode()
    assert "1 candidat importé." in page
    imported = Candidate.objects.get(last_name="Importée")

    assert imported.pk in ranked(mason_position)  # the running process replays the log

    # A change logged after the import, through a page: the prescriber edits another candidate.
    best = pool["best"]
    edited = client_as(prescriber).post(
        f"/candidats/{best.pk}/modifier/", {**edit_form(client_as(prescriber), best), "max_commute_km": 30}
    )
    assert edited.status_code == 302
    matching_index.reset()  # a new process: the snapshot saved before the import, then the log

    assert set(ranked(mason_position)) == set(before) | {imported.pk}


def edit_form(client, candidate):
    """The candidate's edit form as the page fills it."""
    form = client.get(f"/candidats/{candidate.pk}/modifier/").context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def test_hiring_that_fills_a_position_and_an_erasure_reach_the_matcher(
    api_as, client_as, company_user, facilitator, mason_position, pool
):
    """Two more write paths the matcher reads: the last hire closes the position to proposals, and an
    anonymised person (consent withdrawn) is proposed no more."""
    mason_position.openings = 1
    mason_position.save()
    seeker = pool["far_mason"]
    assert mason_position.pk in [p.object_id for p in engine.rank_positions(seeker.pk)]
    assert pool["formworker"].pk in ranked(mason_position)

    submission = SubmissionFactory(candidate=pool["best"], position=mason_position, interview=True)
    hired = api_as(company_user).post(
        f"/api/v1/submissions/{submission.pk}/transition/", {"to": "hired", **hire_payload()}, format="json"
    )
    assert hired.status_code == 200, hired.json()
    assert mason_position.pk not in [p.object_id for p in engine.rank_positions(seeker.pk)]

    erased = client_as(facilitator).post(
        f"/candidats/{pool['formworker'].pk}/anonymiser/", {"reason": "request", "confirm": "on"}
    )
    assert erased.status_code == 302
    assert pool["formworker"].pk not in ranked(mason_position)
