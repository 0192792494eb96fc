from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers

from reference.models import Commune, JobTitle


class ReferenceRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by its key, refusing NUL characters as Django's forms do: reference rows have text keys
    (code INSEE), and PostgreSQL rejects a query holding one (a 500 instead of a 400)."""

    def to_internal_value(self, data):
        try:
            ProhibitNullCharactersValidator()(str(data))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return super().to_internal_value(data)


class JobTitleSerializer(serializers.ModelSerializer):
    code_rome = serializers.CharField(source="occupation_id", help_text="Code ROME du métier (fiche métier).")
    occupation_label = serializers.CharField(source="occupation.label", help_text="Libellé du métier ROME.")

    class Meta:
        model = JobTitle
        fields = ["code_ogr", "label", "code_rome", "occupation_label"]


class CommuneSerializer(serializers.ModelSerializer):
    postcodes = serializers.SerializerMethodField(help_text="Codes postaux de la commune.")

    class Meta:
        model = Commune
        fields = ["code_insee", "name", "department", "postcodes", "latitude", "longitude"]

    def get_postcodes(self, commune) -> list[str]:
        return commune.postcodes.split(";")
