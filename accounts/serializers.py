from allauth.account.utils import has_verified_email
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from rest_framework import serializers
from rest_framework.exceptions import Throttled

from accounts import lockout, perms
from accounts.enums import OrganisationStatus
from accounts.models import Membership, User


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)
    code = serializers.CharField(
        required=False,
        write_only=True,
        help_text="Code de l'application d'authentification, ou code de récupération, "
        "pour un compte protégé par la double authentification.",
    )

    def validate(self, attrs):
        request = self.context["request"]
        credentials = {"email": attrs["email"], "password": attrs["password"]}
        user = authenticate(request, **credentials)
        if user is None:
            # axes flags the (DRF) request it was given; its middleware only sees the HTML login page's.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    wait=lockout.seconds_until_unlocked(request, credentials),
                    detail="Trop de tentatives de connexion : ce compte est bloqué depuis votre adresse.",
                )
            raise serializers.ValidationError("Adresse e-mail ou mot de passe incorrect.", code="authorization")
        if not has_verified_email(user, user.email):
            # Whoever signed up with someone else's address without receiving its mail gets nothing that
            # would outlive the owner taking the account back (the site's login refuses them the same way).
            raise serializers.ValidationError(
                "Confirmez d'abord votre adresse e-mail avec le lien que Passerelle vous a envoyé.",
                code="authorization",
            )
        self.check_second_factor(user, attrs.get("code"))
        attrs["user"] = user
        return attrs

    def check_second_factor(self, user, code):
        """A token opens the same data as the site: the site's second step is asked for here too."""
        if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            organisations = [m.organisation for m in user.memberships.select_related("organisation")]
            if perms.mfa_required(organisations):
                raise serializers.ValidationError(
                    "Activez d'abord la double authentification sur le site Passerelle.",
                    code="authorization",
                )
            return
        if not code:
            raise serializers.ValidationError(
                {"code": ["Ce compte est protégé par la double authentification : donnez le code de l'application."]}
            )
        form = BaseAuthenticateForm(user=user, data={"code": code})
        if not form.is_valid():
            raise serializers.ValidationError({"code": form.errors["code"]})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="À envoyer dans l'en-tête « Authorization: Token … ». Montré une seule fois."
    )
    expiry = serializers.DateTimeField(help_text="Fin de validité du jeton.")


class MembershipSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="organisation.id")
    name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField(source="organisation.kind")
    kind_label = serializers.CharField(source="organisation.get_kind_display")
    subkind = serializers.CharField(source="organisation.subkind_label")
    siret = serializers.CharField(source="organisation.siret")
    status = serializers.ChoiceField(
        OrganisationStatus.choices,
        source="organisation.status",
        help_text="Une organisation n'agit qu'une fois validée par le facilitateur (« approved »).",
    )

    class Meta:
        model = Membership
        fields = ["id", "name", "kind", "kind_label", "subkind", "siret", "status", "is_admin"]


class MeSerializer(serializers.ModelSerializer):
    organisations = MembershipSerializer(source="memberships", many=True)
    current_organisation = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "organisations",
            "current_organisation",
        ]

    def get_current_organisation(self, user) -> int | None:
        organisation = self.context["request"].organisation
        return organisation.pk if organisation else None
