"""The recruitment drives (*recrutement en nombre*) of the activity report: information sessions held, people
presented to the companies, hires and redirections over a period (the MEP's own indicators, issue 14).

Information sessions do not exist yet. Until they do, ``drives`` answers None and the report says that they
are not tracked. The sessions' app fills it in, keeping this contract:

    drives(start=date, end=date, contracts=None) -> {"sessions": int, "presented": int, "hired": int,
                                                     "redirected": int} or None

- ``sessions``: sessions held in the period (their date between ``start`` and ``end``, both included);
- ``presented``: distinct people presented to a company at those sessions (sent to the company);
- ``hired``: those of them hired (a validated placement);
- ``redirected``: those of them redirected elsewhere (training, another offer, another programme);
- ``contracts``: when given (a queryset: a buyer's own contracts), only sessions for positions on those.
"""


def drives(*, start, end, contracts=None):
    return None
