from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Wrong passwords are counted by django-axes per account and address (accounts/lockout.py), not by
        allauth per email from any address, which would let anyone lock a person out. allauth still limits
        login posts per address (``login``) and authenticator codes per user (``login_failed``)."""
