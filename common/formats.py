"""Numbers written as French readers expect them: 1 234,5 — a comma before the decimals, a no-break space
between thousands, no trailing zeros (« 35 h », not « 35,0 h » or « 108.00 »)."""

from decimal import Decimal, InvalidOperation

THOUSANDS = "\xa0"  # as Django's French locale groups thousands (floatformat "g")


def number(value, max_decimals=2):
    """``value`` (int, float, Decimal or numeric text) in French, rounded to ``max_decimals`` and without trailing
    zeros; anything else is returned as it is (a table cell may hold text)."""
    if isinstance(value, bool) or value is None or value == "":
        return value
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if not amount.is_finite():
        return value
    amount = round(amount, max_decimals)
    sign = "-" if amount < 0 else ""
    integer, _, decimals = f"{abs(amount):f}".partition(".")
    decimals = decimals.rstrip("0")
    groups = []
    while len(integer) > 3:
        integer, groups = integer[:-3], [integer[-3:], *groups]
    grouped = THOUSANDS.join([integer, *groups])
    return f"{sign}{grouped},{decimals}" if decimals else f"{sign}{grouped}"
