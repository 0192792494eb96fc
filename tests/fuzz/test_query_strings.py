"""Lists' search and filter parameters with characters a database refuses (NUL, which PostgreSQL rejects in
queries) or values no choice has: the list answers, it never fails."""

import pytest

LISTS = [
    "/candidats/?q=",
    "/candidatures/?etat=",
    "/mises-a-l-emploi/?etat=",
    "/marches/?etat=",
    "/marches/?secteur=",
    "/marches/heures/?etat=",
    "/marches/siae/?nom=",
    "/offres/?q=",
    "/referentiels/communes/recherche/?q=",
    "/referentiels/appellations/recherche/?q=",
]


@pytest.mark.parametrize("value", ["%00", "a%00b", "%FF", "x" * 300])
@pytest.mark.parametrize("url", LISTS)
def test_a_list_answers_whatever_its_parameters_hold(client_as, facilitator, url, value):
    assert client_as(facilitator).get(url + value).status_code in (200, 400)
