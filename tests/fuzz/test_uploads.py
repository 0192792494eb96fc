"""Proofs of hours are checked for type (by content) and size, through the page and the API alike: the
statement is not recorded and the company reads why, in French."""

import pytest
from django.urls import reverse

from procurement.models import HoursStatement
from tests.fuzz.files import page_text
from tests.procurement.factories import PDF_BYTES, contract_in_progress_for, pdf_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

BAD_PROOFS = {
    "png disguised as a pdf": ("bulletin.pdf", PNG, "L'extension du justificatif ne correspond pas à son contenu."),
    "pdf named .exe": ("bulletin.exe", PDF_BYTES, "L'extension du justificatif ne correspond pas à son contenu."),
    "text named .pdf": ("bulletin.pdf", b"Bulletin de paie de mars", "Le justificatif doit être un fichier PDF"),
    "executable named .pdf": ("bulletin.pdf", b"MZ\x90\x00\x03", "Le justificatif doit être un fichier PDF"),
    "oversize": ("scan.png", PNG + b"0" * 2048, "Le justificatif dépasse la taille maximale de 1,0\xa0Kio."),
    "empty": ("bulletin.pdf", b"", "Le fichier soumis est vide."),
}


@pytest.fixture
def source(company_org):
    return contract_in_progress_for(company_org)[1]


@pytest.fixture(params=["page", "api"])
def declare(request, client_as, api_as, company_user, source):
    """Declares a month of hours with ``proof`` as the company would; returns the messages it reads."""

    def page(proof):
        response = client_as(company_user).post(
            reverse("procurement:declare_hours", args=[source.pk]),
            {"month": "2024-03", "hours": "120", "proof_kind": "payslip", "proof": proof},
        )
        return [page_text(response)] if response.status_code == 200 else []

    def api(proof):
        data = {"source": source.pk, "month": "2024-03-01", "hours": "120", "proof_kind": "payslip", "proof": proof}
        response = api_as(company_user).post("/api/v1/hours/", data, format="multipart")
        return response.json().get("proof", []) if response.status_code == 400 else []

    return page if request.param == "page" else api


@pytest.mark.parametrize("case", BAD_PROOFS, ids=list(BAD_PROOFS))
def test_a_bad_proof_is_refused_with_its_reason(declare, settings, case):
    settings.PROCUREMENT_PROOF_MAX_BYTES = 1024
    name, content, message = BAD_PROOFS[case]

    assert any(message in text for text in declare(pdf_upload(name, content)))
    assert not HoursStatement.objects.exists()


@pytest.mark.parametrize(("name", "content"), [("bulletin.pdf", PDF_BYTES), ("scan.PNG", PNG)])
def test_a_good_proof_is_kept(declare, name, content):
    assert declare(pdf_upload(name, content)) == []

    assert HoursStatement.objects.get().proof.read() == content


def test_a_statement_to_correct_that_is_no_number_is_a_404(client_as, company_user, source):
    url = reverse("procurement:declare_hours", args=[source.pk])

    assert client_as(company_user).get(f"{url}?corrige=abc").status_code == 404
