"""The marketplace's answers to procurement's signals."""

from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.urls import reverse

from notifications.services import notify
from procurement.enums import StatementState
from procurement.signals import statement_decided


@receiver(statement_decided)
def tell_the_company(sender, statement, **kwargs):
    """The company learns that its hours count, or why they do not and that it may declare them again."""
    what = f"Heures de {statement.month:%m/%Y} ({statement.source.label}, {floatformat(statement.hours, -2)} h)"
    if statement.state == StatementState.VALIDATED:
        text = f"{what} validées par le facilitateur."
    else:
        text = f"{what} refusées : {statement.reason} Vous pouvez les déclarer à nouveau avec un justificatif."
    notify(organisations=[statement.source.company], text=text, link=reverse("procurement:statement_list"))
