"""Where the current action comes from (request or management command), kept in a context variable
so that services record it without ever receiving the request."""

import contextlib
import contextvars
import sys
from dataclasses import dataclass
from pathlib import Path

from audit.enums import Channel

USER_AGENT_MAX = 200


@dataclass(frozen=True)
class Origin:
    channel: str
    ip_address: str | None = None
    user_agent: str = ""
    command: str = ""


_origin = contextvars.ContextVar("audit_origin", default=None)


def current():
    """The origin set by the middleware or ``command``; else the command named on ``manage.py``'s
    command line (seeds, workers), else "system"."""
    origin = _origin.get()
    if origin is not None:
        return origin
    if Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1:
        return Origin(Channel.COMMAND, command=sys.argv[1])
    return Origin(Channel.SYSTEM)


@contextlib.contextmanager
def using(origin):
    token = _origin.set(origin)
    try:
        yield origin
    finally:
        _origin.reset(token)


def command(name):
    """``with audit.context.command("anonymise_inactive_candidates"):`` in a command's ``handle``."""
    return using(Origin(Channel.COMMAND, command=name))
