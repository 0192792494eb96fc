import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret

from accounts.enums import OrganisationKind, OrganisationStatus, PrescriberKind, SiaeKind


class UserManager(DjangoUserManager):
    """Users log in with their email: there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class ApiTokenQuerySet(models.QuerySet):
    """A person's knox tokens (``User.api_tokens``)."""

    def valid(self):
        return self.filter(models.Q(expiry=None) | models.Q(expiry__gt=timezone.now()))


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    # Mixed into the hash every session carries (``_get_session_auth_hash``): changing it ends every session
    # of the person at once, as a password change does, without touching the password ("log out everywhere").
    # Empty for everyone until then, which keeps Django's own hash.
    # (A database default too: rows written by code that predates the column, during a deploy, get it.)
    session_stamp = models.CharField(max_length=32, blank=True, editable=False, db_default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._password_replaced = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_replaced = True

    def save(self, *args, **kwargs):
        """A new password, however it is set (change, reset, admin, command), ends every API token issued under
        the old one: whoever knew the old password, or held a token from it, is out. Sessions end by
        themselves, their hash being made from the password."""
        replaced = getattr(self, "_password_replaced", False)
        super().save(*args, **kwargs)
        if replaced:
            self._password_replaced = False
            self.api_tokens().delete()

    def api_tokens(self):
        from knox.models import AuthToken  # knox's models import the user model's app: imported late

        return ApiTokenQuerySet(AuthToken).filter(user=self)

    def end_every_session(self):
        """Ends every session of the person (their hash no longer matches) and every API token."""
        self.session_stamp = secrets.token_hex(16)
        self.save(update_fields=["session_stamp"])
        self.api_tokens().delete()

    def _get_session_auth_hash(self, secret=None):
        # Django's own hash (django.contrib.auth.base_user), with the stamp after the password.
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            self.password + self.session_stamp,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def validate_siret(value):
    try:
        siret.validate(value)
    except StdnumValidationError as exc:
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide : il doit compter 14 chiffres et respecter la clé de contrôle.",
            code="invalid_siret",
        ) from exc


class OrganisationQuerySet(models.QuerySet):
    """``of_kind`` and ``siae`` give organisations that act (approved): those awards, DECP imports, SIAE orders
    and notifications are matched to. One registered under someone else's SIRET waits, unseen, for the facilitator."""

    def approved(self):
        return self.filter(status=OrganisationStatus.APPROVED)

    def pending(self):
        return self.filter(status=OrganisationStatus.PENDING)

    def of_kind(self, kind):
        return self.approved().filter(kind=kind)

    def siae(self):
        return self.of_kind(OrganisationKind.SIAE)


class Organisation(models.Model):
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices, db_index=True)
    prescriber_kind = models.CharField(
        "type de prescripteur",
        max_length=20,
        choices=PrescriberKind.choices,
        blank=True,
    )
    siae_kind = models.CharField("type de SIAE", max_length=10, choices=SiaeKind.choices, blank=True)
    name = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    address = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "reference.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="commune",
    )
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    # Approved unless registered by a person on the site (``services.create_organisation``): the staff, the demo
    # and the tests create organisations that act at once.
    status = models.CharField(
        "statut",
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.APPROVED,
        db_default=OrganisationStatus.APPROVED,  # for rows written by code that predates the column
        db_index=True,
    )
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision par",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="prescriber_kind_only_for_prescribers",
                condition=(models.Q(kind=OrganisationKind.PRESCRIBER) & ~models.Q(prescriber_kind=""))
                | (~models.Q(kind=OrganisationKind.PRESCRIBER) & models.Q(prescriber_kind="")),
                violation_error_message="Seul un prescripteur a un type de prescripteur, et il est requis.",
            ),
            models.CheckConstraint(
                name="siae_kind_only_for_siae",
                condition=(models.Q(kind=OrganisationKind.SIAE) & ~models.Q(siae_kind=""))
                | (~models.Q(kind=OrganisationKind.SIAE) & models.Q(siae_kind="")),
                violation_error_message="Le type de SIAE est requis pour une SIAE, et seulement pour elle.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_approved(self):
        return self.status == OrganisationStatus.APPROVED

    @property
    def subkind_label(self):
        if self.kind == OrganisationKind.PRESCRIBER:
            return self.get_prescriber_kind_display()
        if self.kind == OrganisationKind.SIAE:
            return self.get_siae_kind_display()
        return self.get_kind_display()


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="organisation",
    )
    is_admin = models.BooleanField("administrateur", default=False)
    joined_at = models.DateTimeField("membre depuis", default=timezone.now)

    class Meta:
        verbose_name = "appartenance"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class JoinRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OrganisationStatus.PENDING)


class JoinRequest(models.Model):
    """A person asks to join an organisation already on Passerelle (the same SIRET) instead of registering a twin;
    the facilitator decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests", verbose_name="personne"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_requests", verbose_name="organisation"
    )
    created_at = models.DateTimeField("demandée le", default=timezone.now)
    status = models.CharField(
        "statut", max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING
    )
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision par",
    )

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'adhésion"
        verbose_name_plural = "demandes d'adhésion"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status=OrganisationStatus.PENDING),
                name="one_pending_join_request",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


def make_invitation_token():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An organisation admin invites a person by email; the link works once, for that email only."""

    VALIDITY = timezone.timedelta(days=14)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name="organisation",
    )
    email = models.EmailField("adresse e-mail invitée")
    token = models.CharField(max_length=64, unique=True, default=make_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="invité par",
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = self.created_at + self.VALIDITY
        super().save(*args, **kwargs)

    @property
    def is_usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()
