"""Local demo: SQLite, console emails. Debug is off, so that people trying the demo see the site's French error
pages, as in production; ``DEBUG=true make demo`` shows Django's debug pages to a developer."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool, os

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Without collectstatic: whitenoise serves static files straight from the apps, and runserver the uploads.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
