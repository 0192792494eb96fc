"""Test runs: fast hashing, in-memory emails, the database from DATABASE_URL or SQLite."""

import sys

from django.template import TemplateSyntaxError

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, TEMPLATES, env_int, statement_timeout

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "proofs": {"BACKEND": "procurement.proofs.PrivateInMemoryStorage"},
}
# A bad plan fails its test within 30 s, naming the query, instead of stalling the run for tens of minutes.
DATABASE_STATEMENT_TIMEOUT_MS = statement_timeout(env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000))


class UnknownTemplateVariable(str):
    """``string_if_invalid`` in tests: a variable the context does not hold, in one of the project's own templates,
    fails the test naming it (a typo, or a view that stopped passing it, would render as nothing). Third-party
    templates (the admin, allauth, DSFR), which rely on Django's silent empty string, keep it."""

    def __mod__(self, name):
        from django.template.base import Node

        frame = sys._getframe(1)
        while frame is not None:
            node = frame.f_locals.get("self")
            if isinstance(node, Node) and node.origin is not None:
                template = str(node.origin.name)
                if template.startswith(str(BASE_DIR)) and "site-packages" not in template:
                    raise TemplateSyntaxError(f"Variable inconnue « {name} » dans {node.origin.template_name}")
                return ""
            frame = frame.f_back
        return ""


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UnknownTemplateVariable("%s")
