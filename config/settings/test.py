"""Test runs: fast hashing, in-memory emails, the database from DATABASE_URL or SQLite."""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env_int, statement_timeout

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
