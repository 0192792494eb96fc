import pytest

from demo import accounts as demo
from tests.reference.factories import JobTitleFactory, OccupationFactory, SkillFactory, paris_arrondissement

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, facilitator):
    facilitator.is_staff = True
    facilitator.save()
    demo.give_staff_rights(facilitator)
    client.force_login(facilitator)
    return client


@pytest.fixture
def mason():
    occupation = OccupationFactory(
        code_rome="F1703",
        label="Maçon / Maçonne",
        skills=[SkillFactory(label="Monter des murs"), SkillFactory(knowledge=True, label="Lecture de plans")],
        close_occupations=[
            OccupationFactory(code_rome="F1608", label="Pose de revêtements rigides"),
            OccupationFactory(code_rome="F1701", label="Construction en béton"),
        ],
    )
    return JobTitleFactory(label="Maçon / Maçonne", occupation=occupation)


def test_staff_browse_and_search_without_accents(staff_client, mason):
    paris_arrondissement(11)
    for url, expected in [
        ("/admin/reference/jobtitle/?q=MACON", "Maçon / Maçonne"),
        ("/admin/reference/occupation/?q=F1703", "Maçon / Maçonne"),
        ("/admin/reference/commune/?q=paris+11", "Paris 11e"),
        ("/admin/reference/skill/?q=plans", "Lecture de plans"),
        ("/admin/reference/occupationdomain/", "Construction, bâtiment et travaux publics"),
        (f"/admin/reference/jobtitle/{mason.pk}/change/", "F1703"),
        ("/admin/reference/occupation/F1703/change/", "Savoir · Lecture de plans"),
        (
            "/admin/reference/occupation/F1703/change/",
            "1. Pose de revêtements rigides (F1608)<br>2. Construction en béton (F1701)",
        ),
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_reference_data_is_read_only_in_the_admin(staff_client, admin_client, mason):
    for client in (staff_client, admin_client):
        assert client.get("/admin/reference/jobtitle/add/").status_code == 403
        assert client.get(f"/admin/reference/jobtitle/{mason.pk}/delete/").status_code == 403
        response = client.post(
            f"/admin/reference/jobtitle/{mason.pk}/change/", {"label": "Autre", "short_label": "Autre"}
        )
        assert response.status_code == 403
    mason.refresh_from_db()
    assert mason.label == "Maçon / Maçonne"
