from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from common.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Wrong passwords are counted by django-axes per account and address (accounts/lockout.py), not by
        allauth per email from any address, which would let anyone lock a person out. allauth still limits
        login posts per address (``login``) and authenticator codes per user (``login_failed``)."""

    def get_client_ip(self, request):
        """The address allauth's rate limits count by, read as axes and the audit log read it."""
        ip = client_ip(request)
        if ip is None:
            raise PermissionDenied("Adresse du client introuvable.")
        return ip
