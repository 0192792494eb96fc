from django import template

from common.links import links_for

register = template.Library()


@register.inclusion_tag("includes/links.html", takes_context=True)
def links(context, slot, obj):
    """The buttons the apps above add to this page (``common.links``), empty when none applies."""
    return {"links": links_for(slot, context["request"], obj)}
