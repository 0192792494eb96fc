"""The organisation a user acts for, kept in session (pages) or named in a header (API)."""

SESSION_KEY = "current_organisation_id"
# API clients acting for one of several organisations name it in this header.
HEADER = "HTTP_X_ORGANISATION"


def set_current_organisation(request):
    """Sets ``request.organisation``, the one the user acts for (chosen in session or header, else
    their first one), and ``request.user_organisations``, all of theirs, with one query. Only approved
    organisations act: one waiting for the facilitator is in ``request.pending_organisations`` only."""
    request.organisation, request.user_organisations, request.pending_organisations = None, [], []
    user = request.user
    if not user.is_authenticated:
        return
    organisations = {}
    for membership in user.memberships.select_related("organisation"):
        if membership.organisation.is_approved:
            organisations[membership.organisation_id] = membership.organisation
        else:
            request.pending_organisations.append(membership.organisation)
    if not organisations:
        return
    request.user_organisations = sorted(organisations.values(), key=lambda o: o.name)
    wanted = request.META.get(HEADER) or request.session.get(SESSION_KEY)
    try:
        request.organisation = organisations[int(wanted)]
    except (TypeError, ValueError, KeyError):
        request.organisation = organisations[min(organisations)]
