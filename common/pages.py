"""The site's own pages: trust pages linked from the footer (legal notice, personal data, accessibility, help)
and the error pages. Figures come from the settings in force (retention, sessions) and from the last automated
accessibility audit (``common.accessibility``), so that what the pages promise is what the site does."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from common import accessibility


def _contact():
    return {"contact_email": settings.CONTACT_EMAIL, "publisher": settings.SITE_PUBLISHER}


@login_not_required
def legal_notice(request):
    return render(request, "pages/legal_notice.html", {**_contact(), "host": settings.SITE_HOST_PROVIDER})


@login_not_required
def personal_data(request):
    context = {
        **_contact(),
        "dpo_email": settings.DPO_EMAIL,
        "retention_months": settings.CANDIDATE_RETENTION_MONTHS,
        "eligibility_months": round(settings.ELIGIBILITY_VALIDITY_DAYS / 30.4),
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "login_log_days": settings.LOGIN_ATTEMPTS_RETENTION_DAYS,
        "small_count": settings.REPORT_SMALL_COUNT_THRESHOLD,
        "consent_version": settings.CANDIDATE_CONSENT_TEXT_VERSION,
    }
    return render(request, "pages/personal_data.html", context)


@login_not_required
def candidate_information(request):
    """The information text a prescriber gives a person before recording them, in the version in force."""
    context = {
        **_contact(),
        "dpo_email": settings.DPO_EMAIL,
        "consent_template": f"marketplace/consent/{settings.CANDIDATE_CONSENT_TEXT_VERSION}.html",
        "consent_version": settings.CANDIDATE_CONSENT_TEXT_VERSION,
        "retention_months": settings.CANDIDATE_RETENTION_MONTHS,
    }
    return render(request, "pages/candidate_information.html", context)


@login_not_required
def accessibility_statement(request):
    audit = {
        **accessibility.AUDIT,
        "known_issues": sorted(accessibility.KNOWN_ISSUES.items()),
        "day_pages": sum(accessibility.DAYS.values()),
    }
    return render(request, "pages/accessibility.html", {**_contact(), "audit": audit})


@login_not_required
def help_page(request):
    return render(request, "pages/help.html", _contact())


def server_error(request):
    """``handler500``: the DSFR page, rendered without context processors (they may query the database
    that just failed)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request": request, "contact_email": settings.CONTACT_EMAIL}))


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent from an expired page, explained in French."""
    return render(request, "403_csrf.html", status=403)
