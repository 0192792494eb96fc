from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        # lockout connects its signal receivers; schema registers the token scheme of the OpenAPI schema.
        from accounts import lockout, schema  # noqa: F401
