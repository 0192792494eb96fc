from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        # lockout and second_factor connect their signal receivers; schema registers the token scheme of the
        # OpenAPI schema.
        from accounts import lockout, schema, second_factor  # noqa: F401
