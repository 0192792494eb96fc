from django import template

from common.navigation import main_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_entries(context):
    """The main navigation of the page's organisation (``common.navigation``)."""
    request = context["request"]
    organisation = getattr(request, "organisation", None)
    match = getattr(request, "resolver_match", None)
    return main_navigation(organisation.kind if organisation else None, match.view_name if match else "")
