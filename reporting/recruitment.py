"""The recruitment drives (*recrutement en nombre*) of the activity report: information sessions held, people
presented to the companies, hires and redirections over a period (the MEP's own indicators, issue 14), read from
``marketplace.sessions.activity``, the one place that counts them:

    drives(start=date, end=date, contracts=None) -> {"sessions": int, "presented": int, "hired": int,
                                                     "redirected": int, "redirections": {value: int},
                                                     "redirection_outcomes": {value: int}}

- ``sessions``: sessions held in the period (their date between ``start`` and ``end``, both included);
- ``presented``: people presented to a company at those sessions (sent to the company);
- ``hired``: those of them the company hired (their submission's state);
- ``redirected``: people redirected elsewhere at those sessions (training, another offer, another programme),
  ``redirections`` by where to (``marketplace.enums.Redirection``), ``redirection_outcomes`` by what came of it
  (``RedirectionOutcome``, "" while not recorded);
- ``contracts``: when given (a queryset: the report's contracts), only the people invited for positions on those,
  and the sessions that had one.

Four queries, whatever the number of sessions.
"""

from marketplace import sessions


def drives(*, start, end, contracts=None):
    counts = sessions.activity(start=start, end=end, contracts=contracts)
    return {
        "sessions": counts.sessions_held,
        "presented": counts.presented,
        "hired": counts.hired,
        "redirected": counts.redirected,
        "redirections": counts.redirections,
        "redirection_outcomes": counts.redirection_outcomes,
    }
