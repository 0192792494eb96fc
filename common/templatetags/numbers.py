from django import template

from common import formats

register = template.Library()


@register.filter
def number(value, max_decimals=2):
    """``{{ hours|number }}`` → « 1 234,5 » (``common.formats.number``); text is left as it is."""
    return formats.number(value, int(max_decimals))
