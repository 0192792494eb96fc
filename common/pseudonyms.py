"""Stable pseudonyms for people, shared by every app that shows a person to someone who need not know
their name (the placements export, the facilitator's hours queue)."""

from django.utils.crypto import salted_hmac


def pseudonym(candidate_id):
    """The same short code for the same person in every file and page, from which only the holder of
    ``SECRET_KEY`` can go back to the person."""
    # The salt keeps the name of the app that first used it: changing it would change every pseudonym.
    digest = salted_hmac("passerelle.marketplace.pseudonym", str(candidate_id)).hexdigest()
    return f"P-{digest[:10].upper()}"
