"""What procurement tells the apps built on it (the marketplace notifies people), without importing them."""

from django.dispatch import Signal

# Sent inside the deciding transaction with ``statement`` once the facilitator validated or rejected it.
statement_decided = Signal()
