"""A person's data under the GDPR: export for the person, anonymisation on request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts import perms
from accounts.perms import organisation_required
from common.views import add_errors
from marketplace import personal_data
from marketplace.forms import AnonymiseForm
from marketplace.views.candidates import visible_candidate

CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@organisation_required("personal_data.export")
def candidate_export(request, pk, fmt):
    candidate = visible_candidate(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("Format inconnu.")
    content = personal_data.export_candidate(
        candidate=candidate, fmt=fmt, actor=request.user, organisation=request.organisation
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="donnees-candidat-{candidate.pk}.{fmt}"'
    return response


@organisation_required("personal_data.erase")
def candidate_anonymise(request, pk):
    candidate = visible_candidate(request, pk)
    if candidate.is_anonymised:
        messages.info(request, personal_data.ALREADY_DONE)
        return redirect("marketplace:candidate_detail", pk=pk)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data.anonymise_candidate(
                candidate=candidate,
                reason=form.cleaned_data["reason"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
                organisation=request.organisation,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Les données de la personne sont anonymisées ; ses heures restent comptées.")
            return redirect("marketplace:candidate_detail", pk=pk)
    context = {
        "candidate": candidate,
        "form": form,
        "can_export": perms.can_export_personal_data(request.organisation, candidate),
        "in_progress": personal_data.has_work_in_progress(candidate),
    }
    return render(request, "marketplace/candidate_anonymise.html", context)
