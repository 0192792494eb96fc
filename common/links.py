"""Buttons an app adds to the pages of an app below it, without those pages knowing of it.

The layers run one way: the marketplace's pages may not name the matcher, which sits above them. So a page offers a
slot (``{% load links_tags %}{% links "position" position %}``) and the apps above fill it from their
``AppConfig.ready``: ``links.register("position", provider)``, where ``provider(request, obj)`` returns a ``Link``,
or None when this organisation is not to see one.
"""

from collections import defaultdict
from dataclasses import dataclass

_providers = defaultdict(list)


@dataclass(frozen=True)
class Link:
    url: str
    label: str


def register(slot, provider):
    if provider not in _providers[slot]:
        _providers[slot].append(provider)


def links_for(slot, request, obj):
    """The links the registered providers give for ``obj`` on this request, in registration order."""
    return [link for provider in _providers[slot] if (link := provider(request, obj)) is not None]
