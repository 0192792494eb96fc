"""Links to the matcher's proposals, shown on the marketplace's position and candidate pages to the
organisations allowed to read them (``matching.read``)."""

from django import template

from accounts import perms

register = template.Library()


def _allowed(context):
    request = context.get("request")
    return perms.can(getattr(request, "organisation", None), "matching.read")


@register.inclusion_tag("matching/includes/matches_link.html", takes_context=True)
def position_matches_link(context, position):
    return {
        "allowed": _allowed(context) and position.state == "open",
        "url_name": "matching:position_matches",
        "pk": position.pk,
        "label": "Candidats proposés par le rapprochement",
    }


@register.inclusion_tag("matching/includes/matches_link.html", takes_context=True)
def candidate_matches_link(context, candidate):
    return {
        "allowed": _allowed(context),
        "url_name": "matching:candidate_matches",
        "pk": candidate.pk,
        "label": "Offres proposées et métiers proches",
    }


@register.inclusion_tag("matching/includes/matches_link.html", takes_context=True)
def session_matches_link(context, session):
    """Shown to the facilitator on a planned information session: people to invite from the matcher."""
    request = context.get("request")
    return {
        "allowed": _allowed(context)
        and perms.can(getattr(request, "organisation", None), "session.invite")
        and session.state == "planned",
        "url_name": "matching:session_matches",
        "pk": session.pk,
        "label": "Inviter parmi les candidats proposés par le rapprochement",
    }
