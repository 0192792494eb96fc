"""Settings shared by every environment. Secrets and hosts come from the environment."""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
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
    "allauth.mfa",
    "axes",
    "csp",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dsfr",
    "rest_framework",
    "knox",
    "widget_tweaks",
    # Passerelle, in layers: each app may import only those above it in this list (import-linter checks it).
    "common",
    "reference",
    "accounts",
    "audit",
    "notifications",
    "procurement",
    "marketplace",
    "matching",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.PermissionsPolicyMiddleware",
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
    "audit.middleware.AuditOriginMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    # Last, as axes asks: it turns a login refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form sent from an expired page gets a French explanation, not Django's English one.
CSRF_FAILURE_VIEW = "common.pages.csrf_failure"
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
                "common.context_processors.site",
                "common.context_processors.csp_nonce",
                "accounts.context_processors.organisation",
            ],
        },
    },
]
# Forms render with the DSFR field templates (labels, hints, inline errors).
FORM_RENDERER = "common.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        # A connection kept between requests (CONN_MAX_AGE) is checked before reuse: one the database dropped
        # (a restart, a failover) is replaced instead of failing one request per gunicorn worker.
        conn_health_checks=True,
    )
}


def statement_timeout(milliseconds):
    """PostgreSQL cancels any statement running longer than this (0: never), and the error names the query
    (common/db.py): a bad plan fails fast instead of holding a worker or stalling a test run. A command that
    legitimately runs one long statement (a migration rewriting a huge table) is run with
    DATABASE_STATEMENT_TIMEOUT_MS=0."""
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and milliseconds:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={milliseconds}"
    return milliseconds


DATABASE_STATEMENT_TIMEOUT_MS = statement_timeout(env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account and address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
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
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Tell people by email when their password, email or two-factor authentication changes: if it was not them,
# they know at once.
ACCOUNT_EMAIL_NOTIFICATIONS = True

# Failed logins (django-axes). Why axes rather than allauth's own limit: allauth counts failures per email from
# any address, so anyone could lock a person out by typing wrong passwords for them; axes counts them per
# account AND address, in the database (shared by every gunicorn process and machine, unlike the local
# cache), keeps them for the staff in the admin, and answers with our French page (accounts/lockout.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"  # allauth's login form field
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_email"
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # lockouts are logged by accounts.lockout, in French terms
# A locked-out person retrying keeps the wait we announced instead of restarting it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Proxies in front of the site (each appends to X-Forwarded-For), for the client's address that axes and
# allauth count attempts by and the audit log records (common/client_ip.py); 0 reads the connection's own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# ...and the addresses those proxies connect from: X-Forwarded-For is read only on requests coming from one of
# them (or ``unix``: through a Unix socket); a request reaching gunicorn directly is counted by its own address.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    if _proxy != "unix":
        try:
            ipaddress.ip_network(_proxy, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address, a network or 'unix'") from exc

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) and recovery codes, open to everyone,
# recommended to the facilitator's staff and required of them when FACILITATOR_MFA_REQUIRED is on
# (accounts.perms.mfa_required, enforced by accounts.middleware.MFARequiredMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Passerelle"
# Also accept the code of the 30 s period just before or after: phones' clocks drift, and typing takes time.
MFA_TOTP_TOLERANCE = 1
FACILITATOR_MFA_REQUIRED = env_bool("FACILITATOR_MFA_REQUIRED", False)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Passerelle <ne-pas-repondre@passerelle.test>")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Proofs of hours (pay slips...) have their own storage, outside MEDIA_ROOT and without URLs (procurement/proofs.py).
PROOFS_ROOT = Path(os.environ.get("PROOFS_ROOT", BASE_DIR / "var" / "proofs"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "proofs": {"BACKEND": "procurement.proofs.PrivateFileSystemStorage", "OPTIONS": {"location": PROOFS_ROOT}},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "common.api_errors.ErrorResponsesSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
# API tokens (django-rest-knox): stored hashed (SHA-512, only their first 15 characters in clear, to find and
# show them), several per person, each ending after API_TOKEN_TTL_HOURS, on every password change and when the
# person logs out everywhere (accounts.models.User).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 30)),
    "AUTH_HEADER_PREFIX": "Token",
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
    # Every operation's group, summary and description in French (common/api_docs.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "common.api_docs.french_operations"],
    # Swagger UI: no deep-link anchor inside each operation's button (a link in a button is unusable with a
    # keyboard or a screen reader), operations listed in French order.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "docExpansion": "none", "defaultModelsExpandDepth": -1},
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
        "InvitationStateEnum": "marketplace.enums.InvitationState",
        "SessionStateEnum": "marketplace.enums.SessionState",
        "RedirectionEnum": "marketplace.enums.Redirection",
        "RedirectionOutcomeEnum": "marketplace.enums.RedirectionOutcome",
        "PlacementOutcomeEnum": "marketplace.enums.PlacementOutcome",
    },
}

# Content Security Policy (django-csp), in every environment so that the browser tests meet it. Scripts come
# from the site only, inline ones need the page's nonce (``request.csp_nonce``). Styles come from the site
# only, with no inline style at all: the DSFR sets styles through the CSSOM (which CSP allows), htmx's
# indicator styles are turned off (templates/layout/base.html) and Swagger UI's are in a static file.
# Images also from ``data:`` URIs (the DSFR's icons in its CSS, the TOTP QR code).
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if os.environ.get("CSP_REPORT_URI"):
    CSP_DIRECTIVES["report-uri"] = [os.environ["CSP_REPORT_URI"]]
# CSP_REPORT_ONLY=true reports violations (browser console, CSP_REPORT_URI) without blocking anything.
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
# Browser features the site never uses, refused to any script (common.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment")
)

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
# Profile counts (RSA, disability, women...) below this are shown as "moins de N" to everyone but the
# facilitator: on a small contract, one person is easy to recognise.
REPORT_SMALL_COUNT_THRESHOLD = env_int("REPORT_SMALL_COUNT_THRESHOLD", 5)
# Shortfall alerts (``manage.py check_shortfalls``, monthly): a contract in progress whose projection at the
# current pace misses more than this share of its hours due (percent) is at risk, and its buyer, companies and
# the facilitator are told once a month...
SHORTFALL_ALERT_PERCENT = env_int("SHORTFALL_ALERT_PERCENT", 10)
# ...once it has run this many months since its notification: before, there is no pace to project from.
SHORTFALL_GRACE_MONTHS = env_int("SHORTFALL_GRACE_MONTHS", 3)
# Version of the consent text prescribers have candidates agree to.
CANDIDATE_CONSENT_TEXT_VERSION = "2026-01"
# Candidates with no activity (submission, placement, eligibility check, hours, edit) for this many
# months are anonymised by ``manage.py anonymise_inactive_candidates``.
CANDIDATE_RETENTION_MONTHS = env_int("CANDIDATE_RETENTION_MONTHS", 24)
# Who publishes the site and whom people write to: the legal notice, the personal data page, "Besoin d'aide ?".
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "Maison de l'Emploi de Paris (démonstration)")
SITE_HOST_PROVIDER = os.environ.get("SITE_HOST_PROVIDER", "Hébergeur à préciser par l'exploitant du service")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@passerelle.test")
DPO_EMAIL = os.environ.get("DPO_EMAIL", "dpo@passerelle.test")
# Login attempts (addresses and browsers) kept for the staff this many days, pruned by
# ``manage.py axes_reset_logs --age <days>`` (said on the personal data page).
LOGIN_ATTEMPTS_RETENTION_DAYS = env_int("LOGIN_ATTEMPTS_RETENTION_DAYS", 90)
# Absolute address of the site, for links in notification emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Notification emails are jobs of the task queue: when the mail server fails, the next attempt waits the
# next of these delays (1 min, 5 min, 30 min, 2 h, 12 h), then the email is given up (``/health/`` counts
# failed jobs by task).
NOTIFICATION_EMAIL_RETRY_SECONDS = (60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600)

# Matcher (issue 5). "content": fixed-weight content score; "learned": the newest trained
# ``MatcherModel`` (``manage.py train_matcher``), with the content score while none is trained.
MATCHER_MODEL = os.environ.get("MATCHER_MODEL", "content")
# Where the matcher's index snapshot is kept (one file, rebuilt by ``manage.py build_matching_index``).
MATCHING_INDEX_DIR = Path(os.environ.get("MATCHING_INDEX_DIR", BASE_DIR / "var" / "matching"))
# Background jobs (the matcher's retraining, notification emails) in the database; ``manage.py db_worker`` runs them.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Largest proof (payslip, timesheet, invoice) a company may upload with an hours statement.
PROCUREMENT_PROOF_MAX_BYTES = env_int("PROCUREMENT_PROOF_MAX_BYTES", 5 * 1024 * 1024)
# In production the web server may send proofs itself once Django has checked who asks: "X-Accel-Redirect"
# (nginx, with an ``internal`` location at PROOF_SENDFILE_PREFIX aliased to PROOFS_ROOT) or "X-Sendfile"
# (Apache mod_xsendfile). Empty: Django streams the file.
PROOF_SENDFILE_HEADER = os.environ.get("PROOF_SENDFILE_HEADER", "")
PROOF_SENDFILE_PREFIX = os.environ.get("PROOF_SENDFILE_PREFIX", "/justificatifs-proteges/")

# /health/ answers 503 when a job has waited longer than this (no worker runs them), and puts a heartbeat
# job in the queue at most this often (0: never) so that a stopped worker shows even when the queue is idle.
HEALTH_QUEUE_MAX_AGE_SECONDS = env_int("HEALTH_QUEUE_MAX_AGE_SECONDS", 15 * 60)
HEALTH_QUEUE_HEARTBEAT_SECONDS = env_int("HEALTH_QUEUE_HEARTBEAT_SECONDS", 60)

# Imports of candidates (CSV, XLSX) and DECP files (JSON): largest file, checked before it is read, and most
# rows (candidates or DECP records) in one import.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
# Candidate files larger than this are imported by the task queue (``db_worker``), the page and the API showing the
# result when it is ready, instead of holding a web worker while thousands of rows are checked.
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 256 * 1024)
