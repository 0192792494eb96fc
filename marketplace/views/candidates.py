"""A prescriber's pool of candidates (the facilitator sees every pool) and eligibility checks."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from accounts import perms
from accounts.perms import organisation_required
from common import refusals
from common.exports import Table, to_csv
from common.views import paginate
from marketplace import imports, services, tasks
from marketplace.dashboard import EXPIRY_NOTICE_DAYS
from marketplace.enums import ContractType, Level1Criterion, Level2Criterion, QualificationLevel, Situation
from marketplace.forms import (
    AnonymiseForm,
    CandidateForm,
    CandidateImportForm,
    CandidateSearchForm,
    CandidateSkillsForm,
    EligibilityCheckForm,
    SubmitForm,
)
from marketplace.models import Candidate, CandidateImport, EligibilityCheck, Submission


def visible_candidate(request, pk):
    return get_object_or_404(Candidate.objects.visible_to(request.organisation), pk=pk)


@organisation_required()
def candidate_list(request):
    organisation = request.organisation
    if not (perms.can(organisation, "candidate.manage") or perms.sees_everything(organisation)):
        raise PermissionDenied("Votre organisation n'a pas de vivier de candidats.")
    candidates = Candidate.objects.visible_to(organisation).select_related("commune", "prescriber")
    # PostgreSQL refuses a NUL character in a query; no name holds one.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    if query:
        candidates = candidates.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query))
    # The lists the dashboards count: eligibility about to lapse (prescriber), to check (facilitator).
    search = CandidateSearchForm(
        request.GET, to_check=perms.can(organisation, "eligibility.check"), expiry_days=EXPIRY_NOTICE_DAYS
    )
    eligibility = search.cleaned_data["eligibilite"] if search.is_valid() else ""
    today = timezone.localdate()
    if eligibility == CandidateSearchForm.EXPIRING:
        candidates = candidates.eligibility_expiring(today, EXPIRY_NOTICE_DAYS).order_by("eligible_until", "pk")
    elif eligibility == CandidateSearchForm.TO_CHECK:
        candidates = candidates.eligibility_to_check(today).order_by("waiting_since", "pk")
    return render(
        request,
        "marketplace/candidate_list.html",
        {
            "page_obj": paginate(request, candidates),
            "query": query,
            "search": search,
            "eligibility": eligibility,
            "can_manage": perms.can(organisation, "candidate.manage"),
            # Coming from a position's "submit a candidate" button.
            "position_id": request.GET.get("offre", ""),
        },
    )


@organisation_required("candidate.manage")
def candidate_edit(request, pk=None):
    candidate = (
        visible_candidate(request, pk) if pk else Candidate(prescriber=request.organisation, created_by=request.user)
    )
    if candidate.is_anonymised:
        messages.error(request, services.ANONYMISED)
        return redirect("marketplace:candidate_detail", pk=candidate.pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        created = candidate.pk is None
        saved = refusals.call(
            services.save_candidate,
            form=form,
            candidate=form.filled_candidate(),
            job_titles=form.cleaned_data["job_titles"],
            actor=request.user,
            organisation=request.organisation,
            prefill=False,
        )
        if saved and created:
            messages.success(request, f"La fiche de {saved.full_name} est enregistrée : cochez ses compétences.")
            return redirect("marketplace:candidate_skills", pk=saved.pk)
        if saved:
            messages.success(request, f"La fiche de {saved.full_name} est enregistrée.")
            return redirect("marketplace:candidate_detail", pk=saved.pk)
    context = {
        "form": form,
        "candidate": candidate,
        "consent_template": f"marketplace/consent/{settings.CANDIDATE_CONSENT_TEXT_VERSION}.html",
        "retention_months": settings.CANDIDATE_RETENTION_MONTHS,
    }
    return render(request, "marketplace/candidate_form.html", context)


@organisation_required("candidate.manage")
def candidate_skills(request, pk):
    """Second step of the candidate form: the ROME skills of the sought jobs, proposed to tick."""
    candidate = visible_candidate(request, pk)
    if candidate.is_anonymised:
        messages.error(request, services.ANONYMISED)
        return redirect("marketplace:candidate_detail", pk=candidate.pk)
    form = CandidateSkillsForm(request.POST or None, candidate=candidate)
    if (
        request.method == "POST"
        and form.is_valid()
        and refusals.call(
            services.save_candidate,
            form=form,
            candidate=candidate,
            skills=form.cleaned_data["skills"],
            actor=request.user,
            organisation=request.organisation,
            prefill=False,
        )
    ):
        count = len(form.cleaned_data["skills"])
        messages.success(request, f"{count} compétence{pluralize(count)} enregistrée{pluralize(count)}.")
        return redirect("marketplace:candidate_detail", pk=candidate.pk)
    return render(request, "marketplace/candidate_skills.html", {"form": form, "candidate": candidate})


@organisation_required()
def candidate_detail(request, pk):
    candidate = visible_candidate(request, pk)
    today = timezone.localdate()
    checks = list(
        EligibilityCheck.objects.visible_to(request.organisation)
        .filter(candidate=candidate)
        .select_related("checked_by", "checked_by_organisation")
    )
    current = next((check for check in checks if check.is_valid_on(today)), None)
    context = {
        "candidate": candidate,
        "job_titles": candidate.job_titles.select_related("occupation"),
        "skills": candidate.skills.all(),
        "checks": checks,
        "current_check": current,
        "submissions": Submission.objects.visible_to(request.organisation)
        .filter(candidate=candidate)
        .select_related("position__job_title", "position__company"),
        "can_manage": perms.can(request.organisation, "candidate.manage"),
        "can_check": perms.can(request.organisation, "eligibility.check") and not candidate.is_anonymised,
        "can_export": perms.can_export_personal_data(request.organisation, candidate),
        "can_erase": perms.can(request.organisation, "personal_data.erase"),
        "can_read_audit": perms.can(request.organisation, "audit.read"),
        "submit_form": SubmitForm() if perms.can(request.organisation, "submission.create") else None,
        "anonymise_form": AnonymiseForm(auto_id="id_anonymise_%s")
        if perms.can(request.organisation, "personal_data.erase") and not candidate.is_anonymised
        else None,
    }
    return render(request, "marketplace/candidate_detail.html", context)


@organisation_required("eligibility.check")
def eligibility_check(request, pk):
    candidate = visible_candidate(request, pk)
    form = EligibilityCheckForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        check = refusals.call(
            services.record_eligibility_check,
            form=form,
            candidate=candidate,
            criteria=form.cleaned_data["criteria"],
            note=form.cleaned_data["note"],
            actor=request.user,
            organisation=request.organisation,
        )
        if check:
            if check.is_eligible:
                messages.success(request, f"{candidate.full_name} est éligible jusqu'au {check.valid_until:%d/%m/%Y}.")
            else:
                messages.warning(request, "Les critères vérifiés ne suffisent pas : la personne n'est pas éligible.")
            return redirect("marketplace:candidate_detail", pk=candidate.pk)
    return render(request, "marketplace/eligibility_form.html", {"form": form, "candidate": candidate})


@organisation_required("submission.create")
def candidate_submit(request, pk):
    candidate = visible_candidate(request, pk)
    form = SubmitForm(request.POST or None, initial={"position": request.GET.get("offre")})
    if request.method == "POST" and form.is_valid():
        submission = refusals.call(
            services.submit_candidate,
            form=form,
            candidate=candidate,
            position=form.cleaned_data["position"],
            note=form.cleaned_data["note"],
            actor=request.user,
            organisation=request.organisation,
        )
        if submission:
            messages.success(request, "La candidature est transmise au facilitateur.")
            return redirect("marketplace:submission_detail", pk=submission.pk)
    return render(request, "marketplace/submit_form.html", {"form": form, "candidate": candidate})


@organisation_required("candidate.manage")
def candidate_import(request):
    form = CandidateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if imports.runs_in_background(uploaded):
                job = tasks.queue_import(uploaded=uploaded, organisation=request.organisation, actor=request.user)
                return redirect("marketplace:candidate_import_job", pk=job.pk)
            created = imports.import_candidates(
                uploaded=uploaded, organisation=request.organisation, actor=request.user
            )
        except imports.CandidateImportError as exc:
            errors = exc.messages
        else:
            count = len(created)
            messages.success(request, f"{count} candidat{pluralize(count)} importé{pluralize(count)}.")
            return redirect("marketplace:candidate_list")
    accepted = [
        ("situation", Situation.labels),
        ("criteres_niveau1", Level1Criterion.labels),
        ("criteres_niveau2", Level2Criterion.labels),
        ("contrats_souhaites", ContractType.labels),
        ("niveau_qualification", [f"{value} : {label}" for value, label in QualificationLevel.choices]),
    ]
    context = {"form": form, "errors": errors, "columns": imports.COLUMNS, "accepted": accepted}
    return render(request, "marketplace/candidate_import.html", context)


@organisation_required("candidate.manage")
def candidate_import_job(request, pk):
    """Where a large import stands: the page asks again every few seconds (htmx) until the worker is done."""
    job = get_object_or_404(CandidateImport.objects.visible_to(request.organisation), pk=pk)
    template = "marketplace/includes/import_job.html" if request.htmx else "marketplace/candidate_import_job.html"
    return render(request, template, {"job": job})


@organisation_required("candidate.manage")
def candidate_import_template(request):
    """A CSV with the expected columns and one example row, written as every export is. The example person is
    22, so that its « jeune » criterion stays true whatever the year (the import checks it)."""
    # What a prescriber writes, in French: labels rather than codes (the import reads both).
    today = timezone.localdate()
    example = {
        "nom": "Exemple",
        "prenom": "Camille",
        "date_naissance": f"15/03/{today.year - 22}",
        "sexe": "F",
        "commune": "75119",
        "date_consentement": timezone.localdate().strftime("%d/%m/%Y"),
        "situation": Situation.JOB_SEEKER.label,
        "appellations": "Maçon / Maçonne",
        "niveau_qualification": QualificationLevel.LEVEL_3.value,
        "niveau_francais": "B1",
        "email": "camille.exemple@example.test",
        "criteres_niveau2": f"{Level2Criterion.UNDER_26.label}|{Level2Criterion.QPV_ZRR.label}",
        "permis": "non",
        "distance_max_km": "10",
        "contrats_souhaites": f"{ContractType.CDI.label}|{ContractType.CDD.label}",
        "heures_souhaitees": "35",
    }
    table = Table("modele", "Modèle", imports.COLUMNS, [[example.get(column, "") for column in imports.COLUMNS]])
    response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele_import_candidats.csv"'
    return response
