"""Settings for the RKCP service, read from the environment.

With no variables set the service runs embedded: SQLite, Celery eager, console email and private files
on local disk. Each real service is switched on by its own variable (see docs/operations.md). Helpers
here fail loudly on a value they do not understand, because a misread setting is worse than none.
"""

from datetime import date
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from common.sealing import derived_key, key_problems

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be on when DJANGO_ENV=production")


def _embedded_default(default: object) -> dict:
    """The embedded default for a service URL; production must name each real service."""
    return {} if PRODUCTION else {"default": default}


SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    **_embedded_default("django-insecure-development-key-never-used-in-production"),
)
# Old keys still accepted for signatures while sessions and links made with them expire.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

# Importer numbers in Social Security number form are sealed at rest (common/sealing.py): Fernet
# keys, newest first (each `Fernet.generate_key()`), and the key of their search digests.
# Development derives both from the secret key; production must set its own, kept apart from the
# database and its backups (docs/operations.md, "Keys for personal data").
FIELD_ENCRYPTION_KEYS = env.list(
    "RKCP_FIELD_ENCRYPTION_KEYS",
    **_embedded_default([derived_key(SECRET_KEY, "field encryption")]),
)
BLIND_INDEX_KEY = env.str(
    "RKCP_BLIND_INDEX_KEY", **_embedded_default(derived_key(SECRET_KEY, "blind index"))
)
if _problems := key_problems(FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY):
    raise ImproperlyConfigured("; ".join(_problems))

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public address of the service, used in emails sent outside a request (invitations from tasks).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "common",
    "recordkeepers",
    "certification",
    "reviews",
    "participants",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's pages are kept by no cache (ASVS 8.2.1).
    "common.middleware.PrivatePagesMiddleware",
    # Names the signed-in person as the actor of every audit entry the request writes.
    "recordkeepers.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "recordkeepers.middleware.StaffSecondFactorMiddleware",
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
                "django.template.context_processors.csp",
                "certification.context_processors.navigation",
            ],
        },
    },
    # Jinja2 renders the one loop hot enough to need it, the review queue's rows (ADR 0007);
    # its templates live apart, in jinja2/, so that neither engine finds the other's.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "common.jinja2.environment", "autoescape": True},
    },
]

# --- Data -----------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", **_embedded_default(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves overlapping requests (runserver is threaded; a page's htmx
    # fragments overlap its saves). SQLite has one writer: WAL lets reads go on beside it, and
    # BEGIN IMMEDIATE takes the write lock when a transaction starts, so a second writer waits up to
    # `timeout` seconds for it. A deferred transaction that read first and then writes cannot wait:
    # SQLite fails it at once with "database is locked". NORMAL is durable enough with WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    # The review queue's stream index carries the ports as non-key columns (INCLUDE) for
    # PostgreSQL; SQLite builds it without them, as it may.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in rate limits (allauth) are counted in the cache, so every web process must share one (Redis).
CACHES = {"default": env.cache_url("CACHE_URL", **_embedded_default("locmemcache://"))}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that cannot be reached is a miss, not a 500 (common/cache.py); and it is given up
    # on after a second rather than holding the request.
    CACHES["default"]["BACKEND"] = "common.cache.DegradingRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )

# --- Celery (eager when no broker is configured) ----------------------------------------------------
# Production renders letters on workers, never in a web request: it needs a broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", **_embedded_default(""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only once it has run, and given back if its worker dies, so that work is
# never lost; tasks are therefore written to be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Each worker child is replaced after this many tasks, which bounds the memory a long run of renders
# can hold (docs/benchmarks.md measures it).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("RKCP_WORKER_MAX_TASKS_PER_CHILD", default=100)
if CELERY_WORKER_MAX_TASKS_PER_CHILD < 1:
    raise ImproperlyConfigured(
        "RKCP_WORKER_MAX_TASKS_PER_CHILD must be at least 1 (a worker child is replaced after "
        f"that many tasks), not {CELERY_WORKER_MAX_TASKS_PER_CHILD}"
    )
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
# A publish that cannot reach the broker gives up after one quick retry rather than holding a web
# request (a decision sends a letter and one email per member); what asked for the task (a pending
# letter, an unsent notification email) is picked up by the periodic sweeps instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Letters left pending or rendering (a lost message, a killed worker, a broker that was down), and
# notification emails and invitations not sent, are sent to a worker again by periodic tasks, every
# RKCP_SWEEP_SECONDS (celery beat). One setting for every sweep: each resends what a lost broker
# message left behind, and they are scheduled together.
if "RKCP_LETTER_SWEEP_SECONDS" in env.ENVIRON:
    raise ImproperlyConfigured(
        "RKCP_LETTER_SWEEP_SECONDS is now RKCP_SWEEP_SECONDS: it times every sweep, not only letters'"
    )
SWEEP_SECONDS = env.int("RKCP_SWEEP_SECONDS", default=60)
# A letter still rendering after this long is taken to be lost with its worker and rendered again.
LETTER_RENDER_TIMEOUT_SECONDS = env.int("RKCP_LETTER_RENDER_TIMEOUT_SECONDS", default=300)
# A letter sent to the queue and not picked up after this long is taken to be lost with its
# message and sent again; sooner, it is still waiting its turn (a burst of decisions takes minutes).
LETTER_QUEUE_GRACE_SECONDS = env.int("RKCP_LETTER_QUEUE_GRACE_SECONDS", default=600)
if LETTER_QUEUE_GRACE_SECONDS < 1:
    raise ImproperlyConfigured(
        "RKCP_LETTER_QUEUE_GRACE_SECONDS must be at least 1 (how long a letter waits in the queue "
        f"before the sweep sends it again), not {LETTER_QUEUE_GRACE_SECONDS}"
    )
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-unfinished-letters": {
        "task": "certification.tasks.sweep_unfinished_letters",
        "schedule": SWEEP_SECONDS,
    },
    "sweep-unsent-notification-emails": {
        "task": "certification.tasks.sweep_unsent_notification_emails",
        "schedule": SWEEP_SECONDS,
    },
    "sweep-unsent-invitations": {
        "task": "recordkeepers.tasks.sweep_unsent_invitations",
        "schedule": SWEEP_SECONDS,
    },
    # Reminders and overdue notices after certification: each goes once, so running the sweep
    # often only makes them prompter.
    "participant-reminders": {
        "task": "participants.tasks.send_reminders",
        "schedule": env.int("RKCP_REMINDER_SECONDS", default=3600),
    },
    # The days that closed since the last run are tallied for the dashboard (reporting.figures.
    # tallies): hourly, so a run missed at night is made up within the hour; a run with nothing
    # new to count reads one row.
    "tally-closed-days": {
        "task": "reporting.tasks.tally_closed_days",
        "schedule": 3600,
    },
    # Exports past their time are deleted (reporting.services.export_prune).
    "prune-exports": {
        "task": "reporting.tasks.prune_exports",
        "schedule": SWEEP_SECONDS,
    },
}
# How long an export's file is kept for its reader to download, in hours.
EXPORT_RETENTION_HOURS = env.int("RKCP_EXPORT_RETENTION_HOURS", default=24)

# --- Email ------------------------------------------------------------------------------------------


def _mailer(config: dict) -> dict:
    """Django 6.1's MAILERS entry from django-environ's parsed EMAIL_URL."""
    backend = config["EMAIL_BACKEND"]
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"],
            "username": config["EMAIL_HOST_USER"] or None,
            "password": config["EMAIL_HOST_PASSWORD"] or None,
            "use_tls": config.get("EMAIL_USE_TLS", False),
            "use_ssl": config.get("EMAIL_USE_SSL", False),
            "timeout": 30,
        }
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": config["EMAIL_FILE_PATH"]}
    else:
        options = {}
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {"default": _mailer(env.email_url("EMAIL_URL", **_embedded_default("consolemail://")))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RKCP <no-reply@rkcp.example.gov>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Files ------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence and letters are private: they are never under STATIC_ROOT or a public URL, and are served
# only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
# Evidence limits, read in MB (1024 × 1024 bytes, as Django's filesizeformat shows sizes to users).
_evidence_file_mb = env.int("RKCP_EVIDENCE_MAX_FILE_MB", default=10)
_evidence_application_mb = env.int("RKCP_EVIDENCE_MAX_APPLICATION_MB", default=100)
if not 1 <= _evidence_file_mb <= _evidence_application_mb:
    raise ImproperlyConfigured(
        "RKCP_EVIDENCE_MAX_FILE_MB must be at least 1 and at most RKCP_EVIDENCE_MAX_APPLICATION_MB, "
        f"not {_evidence_file_mb} (with {_evidence_application_mb})"
    )
EVIDENCE_MAX_FILE_BYTES = _evidence_file_mb * 1024 * 1024
EVIDENCE_MAX_APPLICATION_BYTES = _evidence_application_mb * 1024 * 1024
# --- Letters: who signs them, the office they come from, and the right to appeal -----------------------
LETTER_SIGNATORY_NAME = env.str("RKCP_LETTER_SIGNATORY_NAME", default="Director")
LETTER_SIGNATORY_TITLE = env.str(
    "RKCP_LETTER_SIGNATORY_TITLE", default="Trade Regulatory Audit, Office of Trade"
)
LETTER_OFFICE_NAME = env.str(
    "RKCP_LETTER_OFFICE_NAME", default="U.S. Customs and Border Protection, Office of Trade"
)
# Lines separated by "|" in the environment.
LETTER_OFFICE_ADDRESS = env.str(
    "RKCP_LETTER_OFFICE_ADDRESS",
    default="Trade Regulatory Audit|1300 Pennsylvania Avenue NW|Washington, DC 20229",
).split("|")
APPEAL_ADDRESSEE = env.str(
    "RKCP_APPEAL_ADDRESSEE",
    default="Executive Director, Trade Regulatory Audit, Office of Trade, "
    "U.S. Customs and Border Protection, 1300 Pennsylvania Avenue NW, Washington, DC 20229",
)
# Django's defaults, stated because uploads depend on them: an uploaded file larger than this is
# spooled to a temporary file instead of memory, so a 10 MB upload costs a web process 2.5 MB at
# most; and a request's other fields may not exceed it. Neither caps the size of an uploaded file:
# the evidence services refuse an oversized file, and the proxy in front caps the request body.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Static files: in production and in `make demo`, collected (collectstatic) under hashed names with
# Brotli and gzip copies, which WhiteNoise serves compressed and cacheable for a year. Elsewhere
# (tests, `make serve`) straight from static/, so that a fresh clone needs no collectstatic step and
# an edited stylesheet shows at once.
STATIC_HASHED = env.bool("DJANGO_STATIC_HASHED", default=PRODUCTION)
STORAGES = {
    "default": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "common.staticfiles.HashedStaticFilesStorage"
            if STATIC_HASHED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# --- Accounts ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "recordkeepers.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "recordkeepers.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "recordkeepers.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address signs the person in, but only in the browser session that signed up
# (allauth checks the pending sign-up in the session); a link opened elsewhere still asks to sign in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
# Account emails name the service, never the host (templates/account/email/).
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Recordkeeping Compliance Program: "
# Tell the person by email when their password, email address or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins are limited per address and per account; the limits live in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env.str("RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="CBP RKCP")

# Sessions end after a period without activity; the page warns before that happens. A request
# pushes the end on, but the session is written at most once a minute for that
# (common.middleware.SlidingSessionMiddleware), so a session may end up to a minute sooner.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
# And, however busy, a signed-in session ends this long after its sign-in: the person signs in
# again, second factor included (ASVS 3.3.2; common.middleware.SlidingSessionMiddleware).
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)

# --- Security ---------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# How many proxies append to X-Forwarded-For: without it, rate limits would count the proxy's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Only our own scripts, styles and fonts; images may be data: URIs (the authenticator QR code).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Browser features the service never uses, refused to every page and anything it might embed. Only
# names Chromium knows: it reports an unknown one as an error on every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Presentation -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
# With USE_TZ, times are always stored in UTC; this is the zone pages show them in.
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="America/New_York")
# Every date-time shown carries its zone ("Dec. 5, 2026, 9:30 a.m. EST"): config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
CRISPY_ALLOWED_TEMPLATE_PACKS = ["uswds"]
CRISPY_TEMPLATE_PACK = "uswds"
MESSAGE_TAGS = {10: "info", 20: "info", 25: "success", 30: "warning", 40: "error"}

# --- Federal statements -----------------------------------------------------------------------------
# What the Paperwork Reduction Act (5 CFR 1320.5(b), 1320.8(b)(3)) and the Privacy Act (5 U.S.C.
# 552a(e)(3)) make the application display. The numbers are OMB's and the Privacy Office's to give,
# so the defaults say plainly that they are not set; `check --deploy` warns until they are, and
# every check warns once the OMB approval has expired (certification/checks.py).
OMB_CONTROL_NUMBER = env.str("RKCP_OMB_CONTROL_NUMBER", default="")
# ISO date (YYYY-MM-DD) the OMB approval expires; empty when no number is set.
_omb_expiration = env.str("RKCP_OMB_EXPIRATION_DATE", default="")
try:
    OMB_EXPIRATION_DATE = date.fromisoformat(_omb_expiration) if _omb_expiration else None
except ValueError:
    raise ImproperlyConfigured(
        f"RKCP_OMB_EXPIRATION_DATE must be a date as YYYY-MM-DD, not {_omb_expiration!r}"
    ) from None
# Average hours to complete an application, from the supporting statement OMB approved; the default
# is our placeholder until that figure is set.
PRA_BURDEN_HOURS = env.float("RKCP_PRA_BURDEN_HOURS", default=10.0)
if PRA_BURDEN_HOURS <= 0:
    raise ImproperlyConfigured(f"RKCP_PRA_BURDEN_HOURS must be above 0, not {PRA_BURDEN_HOURS}")
PRA_COMMENTS_ADDRESS = env.str(
    "RKCP_PRA_COMMENTS_ADDRESS",
    default="U.S. Customs and Border Protection, Office of Trade, Regulations and Rulings, "
    "90 K Street NE, 10th Floor, Washington, DC 20229-1177",
)
# The System of Records Notice covering the applicants' records, e.g. "DHS/CBP-000 Name, 00 FR 0000".
PRIVACY_ACT_SORN = env.str("RKCP_PRIVACY_ACT_SORN", default="")

# Upper bounds (exclusive) of entries per year and import value in USD for each size class but the
# largest; from the program's synthetic size table. A business is in the larger class either gives.
SIZE_CLASS_THRESHOLDS = {
    "micro": (50, "1000000"),
    "small": (500, "10000000"),
    "medium": (5000, "250000000"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each rendering step at INFO, and a refused URL (StaticFilesFetcher) at
        # ERROR, which the letter's own status and tests cover.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
