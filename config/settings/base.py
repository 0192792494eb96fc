"""Settings shared by every environment. Secrets and hosts come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    """Read a boolean from the environment and fail loudly on a typo."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third parties
    "allauth",
    "allauth.account",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dsfr",
    "rest_framework",
    "rest_framework.authtoken",
    "widget_tweaks",
    # Passerelle
    "accounts",
    "reference",
    "procurement",
    "marketplace",
    "matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.CurrentOrganisationMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "accounts.context_processors.organisation",
            ],
        },
    },
]
# Forms render with the DSFR field templates (labels, hints, inline errors).
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)

# django-allauth: the email is the login, and it must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Passerelle] "
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Passerelle <ne-pas-repondre@passerelle.test>")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "config.api_errors.ErrorResponsesSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Passerelle",
    "DESCRIPTION": "Marchés à clause sociale, offres, candidatures et heures d'insertion à Paris.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets are served from the project, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "GET_MOCK_REQUEST": "accounts.schema.build_mock_request",
    # Choice sets used by several serializers get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ContractStateEnum": "procurement.enums.ContractState",
        "ModalityEnum": "procurement.enums.Modality",
        "SectorEnum": "procurement.enums.Sector",
        "StatementStateEnum": "procurement.enums.StatementState",
        "PositionStateEnum": "marketplace.enums.PositionState",
        "SubmissionStateEnum": "marketplace.enums.SubmissionState",
        "RefusalReasonEnum": "marketplace.enums.RefusalReason",
        "PlacementStateEnum": "marketplace.enums.PlacementState",
        "ContractTypeEnum": "marketplace.enums.ContractType",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Where the reference data files (ROME, communes) shipped with the project live.
REFERENCE_DATA_DIR = BASE_DIR / "reference" / "data"

# Mark optional fields rather than required ones, as the DSFR now recommends.
DSFR_MARK_OPTIONAL_FIELDS = True

# Marketplace: eligibility (domain.md), follow-up and consent.
# A person is eligible with one level-1 criterion or at least this many level-2 ones.
ELIGIBILITY_LEVEL2_MIN = env_int("ELIGIBILITY_LEVEL2_MIN", 2)
# An eligibility check is valid this many days (6 months).
ELIGIBILITY_VALIDITY_DAYS = env_int("ELIGIBILITY_VALIDITY_DAYS", 183)
# Submissions waiting longer than this at one stage show on the facilitator's follow-up page.
FOLLOW_UP_STALE_DAYS = env_int("FOLLOW_UP_STALE_DAYS", 15)
# Version of the consent text prescribers have candidates agree to.
CANDIDATE_CONSENT_TEXT_VERSION = "2026-01"
# Absolute address of the site, for links in notification emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Matcher (issue 5). "content": fixed-weight content score; "learned": the newest trained
# ``MatcherModel`` (``manage.py train_matcher``), with the content score while none is trained.
MATCHER_MODEL = os.environ.get("MATCHER_MODEL", "content")
# Where the matcher's index snapshot is kept (one file, rebuilt by ``manage.py build_matching_index``).
MATCHING_INDEX_DIR = Path(os.environ.get("MATCHING_INDEX_DIR", BASE_DIR / "var" / "matching"))
# Background jobs (the matcher's retraining) in the database; ``manage.py db_worker`` runs them.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Largest proof (payslip, timesheet, invoice) a company may upload with an hours statement.
PROCUREMENT_PROOF_MAX_BYTES = env_int("PROCUREMENT_PROOF_MAX_BYTES", 5 * 1024 * 1024)
# Imports of candidates (CSV, XLSX) and DECP files (JSON): largest file, checked before it is read, and most
# rows (candidates or DECP records) in one import.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
