"""One shape for the five state machines: contract, position, submission, placement, hours statement.

Each app's ``workflows.py`` declares its machine as a ``Workflow``: the object's states, a table of named
``Transition`` (sources, target, the ``accounts.perms`` rule naming the organisation kinds that may take it), the
log model (a ``TransitionLog``: the same six columns everywhere) and the organisations the object concerns. The
services lock the object, call ``check`` (the table's refusal, in French, nothing written), run their own domain
checks, then ``apply`` (new state and its log row, in the service's transaction). Pages and the API ask ``moves``
what an organisation may do now with an object; forms offer exactly those.

It lives in accounts, below every app that has a state machine, because who may move what is
``accounts.perms``' to say.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from accounts import perms


@dataclass(frozen=True)
class Transition:
    """A named move. ``sources`` empty: the step that creates the object in ``target``. ``rule`` None: a move
    that only follows from another step (a hire fills a position), never offered nor asked for."""

    name: str
    sources: tuple
    target: str
    rule: str | None
    label: str

    @property
    def creates(self):
        return not self.sources

    @property
    def automatic(self):
        return self.rule is None


class TransitionLog(models.Model):
    """One change of state of one object: who (``actor``, acting for ``organisation``), from which state to
    which, when, and why (``reason``, free text, may be empty). ``from_state`` empty: the object was created.
    Each log adds the foreign key to its object and sets ``states``."""

    # The TextChoices of the object's states (labels of the two state columns).
    states = None

    from_state = models.CharField("état de départ", max_length=20, blank=True)
    to_state = models.CharField("nouvel état", max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="pour l'organisation"
    )
    at = models.DateTimeField("le", default=timezone.now)
    reason = models.TextField("motif", blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_state_display() or '–'} → {self.get_to_state_display()}"

    def get_from_state_display(self):
        return self.states(self.from_state).label if self.from_state else ""

    def get_to_state_display(self):
        return self.states(self.to_state).label


class Workflow:
    """A state machine: its table, its log, and the one answer to "may this organisation move this object"."""

    def __init__(self, *, states, transitions, log, subject, noun, feminine=False, parties, state_field="state"):
        """``log``: the ``TransitionLog`` model, whose foreign key to the object is ``subject``. ``noun``: the
        object in French, for messages ("marché", ``feminine`` for "candidature"). ``parties(obj)``: ids of the
        organisations the object concerns, the only ones (besides the facilitator) that may move it."""
        self.states, self.transitions, self.log, self.subject = states, tuple(transitions), log, subject
        self.parties, self.state_field = parties, state_field
        self.a_noun = f"{'Une' if feminine else 'Un'} {noun}"
        self.this_noun = f"{'Cette' if feminine else 'Ce'} {noun}"
        self.by_name = {t.name: t for t in self.transitions}
        pairs = [(source, t.target) for t in self.transitions for source in t.sources or ("",)]
        if len(self.by_name) != len(self.transitions) or len(set(pairs)) != len(pairs):
            raise ValueError(f"{self.a_noun}: transition names and (source, target) pairs must be unique")

    def __getitem__(self, name):
        return self.by_name[name]

    def between(self, source, target):
        """The transition from ``source`` to ``target``, or None when the table has none."""
        return next((t for t in self.transitions if source in t.sources and t.target == target), None)

    def creation(self, state):
        """The step that creates an object in ``state``."""
        return next(t for t in self.transitions if t.creates and t.target == state)

    def may(self, transition, obj, organisation):
        return perms.can_act(organisation, transition.rule, parties=self.parties(obj))

    def moves(self, obj, organisation):
        """What this organisation may do now with this object: the transitions to offer it, in table order."""
        state = getattr(obj, self.state_field)
        return [
            t for t in self.transitions if state in t.sources and not t.automatic and self.may(t, obj, organisation)
        ]

    def check(self, obj, target, organisation):
        """The transition taking ``obj`` to ``target`` for ``organisation``; raises ``ValidationError`` when the
        table has no such move from the object's state, ``PermissionDenied`` when the organisation may not take it."""
        source = getattr(obj, self.state_field)
        transition = self.between(source, target)
        if transition is None or transition.automatic:
            raise ValidationError(
                f"{self.a_noun} « {self.label(source)} » ne peut pas passer à l'état « {self.label(target)} ».",
                code="invalid_transition",
            )
        self._check_may(transition, obj, organisation)
        return transition

    def _check_may(self, transition, obj, organisation):
        if not perms.can(organisation, transition.rule):
            raise PermissionDenied(f"« {transition.label} » est réservé à : {perms.kinds_display(transition.rule)}.")
        if not self.may(transition, obj, organisation):
            raise PermissionDenied(f"{self.this_noun} ne concerne pas votre organisation.")

    def apply(self, obj, transition, *, actor, organisation, reason="", update_fields=()):
        """Writes the object's new state (with ``update_fields`` the service changed) and its log row. Call it on
        the row the service locked, once every check passed."""
        source = getattr(obj, self.state_field)
        setattr(obj, self.state_field, transition.target)
        obj.save(update_fields=[self.state_field, *update_fields])
        return self._log(obj, source, actor, organisation, reason)

    def start(self, obj, *, actor, organisation, reason=""):
        """Logs the creation of ``obj`` (just saved, in its first state): the first row of its history."""
        self._check_may(self.creation(getattr(obj, self.state_field)), obj, organisation)
        return self._log(obj, "", actor, organisation, reason)

    def _log(self, obj, source, actor, organisation, reason):
        return self.log.objects.create(
            **{self.subject: obj},
            from_state=source,
            to_state=getattr(obj, self.state_field),
            actor=actor,
            organisation=organisation,
            reason=reason or "",
        )

    def label(self, state):
        return self.states(state).label if state in self.states.values else state
