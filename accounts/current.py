"""The organisation a user acts for, kept in session (pages) or named in a header (API)."""

SESSION_KEY = "current_organisation_id"
# API clients acting for one of several organisations name it in this header.
HEADER = "HTTP_X_ORGANISATION"


def set_current_organisation(request):
    """Sets ``request.organisation``, the one the user acts for (chosen in session or header, else
    their first one), and ``request.user_organisations``, all of theirs, with one query."""
    request.organisation, request.user_organisations = None, []
    user = request.user
    if not user.is_authenticated:
        return
    organisations = {m.organisation_id: m.organisation for m in user.memberships.select_related("organisation")}
    if not organisations:
        return
    request.user_organisations = sorted(organisations.values(), key=lambda o: o.name)
    wanted = request.META.get(HEADER) or request.session.get(SESSION_KEY)
    try:
        request.organisation = organisations[int(wanted)]
    except (TypeError, ValueError, KeyError):
        request.organisation = organisations[min(organisations)]
