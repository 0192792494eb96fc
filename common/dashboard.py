"""Each role's dashboard leads with its work: a list of ``WorkItem`` (a count, the link to the filtered list it
counts, and for a queue the age of its oldest item). Apps add theirs from their ``AppConfig.ready`` with
``register(provider)``; a provider is ``provider(organisation, today) -> [WorkItem]`` and runs a fixed number of
queries whatever the data size. The dashboard (accounts) reads them without importing the apps above it."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

_PROVIDERS = []


@dataclass(frozen=True)
class WorkItem:
    """One line of a dashboard: « 3 relevés d'heures à valider », the oldest waiting for 12 days."""

    label: str
    count: int
    url: str
    # Dashboards sort the items of all apps on it: the order of the role's day.
    rank: int
    # The oldest item of a queue (a date or a datetime); None for a count that is not a queue.
    oldest: object = None
    detail: str = ""

    @property
    def waiting_days(self):
        """Whole days the oldest item has waited (None when not a queue or empty)."""
        if self.oldest is None or not self.count:
            return None
        oldest = self.oldest.date() if isinstance(self.oldest, datetime.datetime) else self.oldest
        return max(0, (timezone.localdate() - oldest).days)


def filtered_url(name, **query):
    """The address of the list ``name`` filtered as a work item counts it (query parameters in French)."""
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def work_items(organisation, *, today=None):
    """Every app's items for ``organisation``, in the order of the role's day."""
    today = today or timezone.localdate()
    items = [item for provider in _PROVIDERS for item in provider(organisation, today)]
    return sorted(items, key=lambda item: item.rank)
