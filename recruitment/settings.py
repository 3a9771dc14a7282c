"""Settings for the recruitment back-office.

Every setting comes from the environment (or a `.env` file) with a safe default; `.env.example` lists them all.
`DJANGO_ENV` picks the profile: `development` (the default, used by `make run` and the tests) or `production`,
which turns every security switch on, requires a real `SECRET_KEY` and turns the board sandbox off.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
# Production refuses to start without its own secret key and host names (no default could be right for them).
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs SECRET_KEY: set it to at least 50 random characters, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters in production.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-secret-key-never-use-this-in-production-0123456789")

# Retired keys, still accepted for what they signed (sessions, password resets, partner API key hashes) while it ages.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs ALLOWED_HOSTS: the comma-separated host names the site answers to, "
        "e.g. ALLOWED_HOSTS=jobs.example.nhs.uk."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_q",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "recruitment",
    "boards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "recruitment.api.middleware.ApiNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into recruitment.lockout.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recruitment.urls"
WSGI_APPLICATION = "recruitment.wsgi.application"

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
            ],
        },
    },
]

# SQLite under var/ by default, so `make run` needs no service; DATABASE_URL switches to PostgreSQL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so end-to-end tests can share the test database with a real task worker process
    # (they pass its path on as DATABASE_URL); one file per test run, so concurrent runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes refuses a locked-out sign-in before any password is checked (recruitment/lockout.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with a user's permissions read in one query (recruitment/permissions_backend.py).
    "recruitment.permissions_backend.OneQueryModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
(VAR_DIR / "assets").mkdir(exist_ok=True)
# Front-end packages come from npm (installed by the Makefile), never copied into the repository.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    VAR_DIR / "assets",  # compiled by the Makefile (NHS.UK frontend CSS)
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Candidate documents live outside any public URL and are served by a permission-checked view.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")),
            "base_url": None,
        },
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Email through Django 6.1's MAILERS: the console in development, SMTP in production.
MAILERS = {
    "default": {
        "BACKEND": env.str(
            "MAILER_BACKEND",
            default="django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            "host": env.str("SMTP_HOST", default="localhost"),
            "port": env.int("SMTP_PORT", default=587),
            "username": env.str("SMTP_USERNAME", default=""),
            "password": env.str("SMTP_PASSWORD", default=""),
            "use_tls": env.bool("SMTP_USE_TLS", default=True),
        }
        if PRODUCTION
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="recruitment@example.nhs.uk")

# Security: strict by default, every switch on in production.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Vacancy approval: the approver must be another person than the vacancy's recruiter and whoever submitted it
# (recruitment.services.vacancies.approval_refusal). On by default; off only where one person really does both.
VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON = env.bool("VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON", default=True)

# The careers apply form keeps a CV whose application was refused for another field (recruitment/held_uploads.py):
# in the private storage's held/ folder, for HELD_UPLOAD_MINUTES, then deleted (at once when the application is made).
HELD_UPLOAD_MINUTES = env.int("HELD_UPLOAD_MINUTES", default=60)

# Client addresses (recruitment/client_ip.py), for the API throttles, the sign-in lockout and the logs: REMOTE_ADDR,
# unless this many proxies of ours stand in front of the app, each appending to X-Forwarded-For (the client is then
# the entry that many places from the right). 0 ignores the header, which anyone can write.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# The sign-in lockout (django-axes; policy in recruitment/lockout.py): SIGN_IN_FAILURE_LIMIT failures for one username
# from one address lock that pair for SIGN_IN_LOCKOUT_MINUTES, on the back-office, the admin and the API token alike.
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_LOCKOUT_MINUTES = env.int("SIGN_IN_LOCKOUT_MINUTES", default=15)
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "recruitment.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "recruitment.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Registered by recruitment/admin/signin.py instead, with an "Unlock" action.
AXES_ENABLE_ADMIN = False
# Never stored in an access attempt's copy of the form (the token endpoint's secrets too).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "api_key", "api_password"]

# Background work: django-q2 on the ORM broker, or Redis when REDIS_URL is set.
# retry > timeout, so a task is only redelivered after its worker must have died (TESTING.md).
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "recruitment",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=60),
    "retry": env.int("Q_RETRY", default=90),
    "max_attempts": 5,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": "Background tasks",
    "poll": 1,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# The cache holds the API throttles and the job boards' OAuth access tokens, so every process (the web server and
# each task worker) must share it: Redis when REDIS_URL is set, else a table in the database, in development and
# tests too (`manage.py createcachetable` makes it: `make setup` runs it, and so does Django's test runner for the
# test database).
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache"}}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "recruitment.api.errors.ProblemAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["recruitment.api.authentication.PartnerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["recruitment.api.renderers.OrjsonRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "recruitment.api.pagination.StandardPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "recruitment.api.throttling.PartnerClientThrottle",
        "recruitment.api.throttling.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "partner": env.str("API_RATE", default="600/min"),
        "token": env.str("API_TOKEN_RATE", default="30/min"),
    },
    "EXCEPTION_HANDLER": "recruitment.api.errors.problem_exception_handler",
    # Only for DRF code that reads it; our throttles use recruitment.client_ip (the same rule).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Recruitment partner API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStageEnum": "recruitment.models.ApplicationStage",
        "DbsStageEnum": "recruitment.models.DbsStage",
        "YesNoEnum": "recruitment.models.applications.YesNo",
        "WorkforceEnum": "recruitment.models.DbsWorkforce",
    },
}

# Partner API keys are stored as HMAC-SHA256 with this key (recruitment/keyhash.py); empty derives one from SECRET_KEY.
# Changing it stops every partner API key.
API_KEY_HASH_SECRET = env.str("API_KEY_HASH_SECRET", default="")

# Job boards: the strict fake boards are mounted under /sandbox/ only when this is on.
BOARDS_SANDBOX = env.bool("BOARDS_SANDBOX", default=not PRODUCTION)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_ip": {"()": "recruitment.client_ip.ClientIpLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["client_ip"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# Job boards (boards/). Credentials are encrypted with BOARD_CREDENTIALS_KEY (a Fernet key) or, when it is empty, a
# key derived from SECRET_KEY. Retries of temporary failures back off exponentially with jitter from the base delay
# up to the cap, at most BOARD_RETRY_MAX_ATTEMPTS calls; waits up to BOARD_RETRY_INLINE_MAX_SECONDS happen inside the
# running task, longer ones are scheduled (see boards/tasks.py). Tests shorten the delays through the environment.
BOARD_CREDENTIALS_KEY = env.str("BOARD_CREDENTIALS_KEY", default="")
BOARD_CONNECT_TIMEOUT_SECONDS = env.float("BOARD_CONNECT_TIMEOUT_SECONDS", default=5.0)
BOARD_READ_TIMEOUT_SECONDS = env.float("BOARD_READ_TIMEOUT_SECONDS", default=20.0)
BOARD_RETRY_BASE_SECONDS = env.float("BOARD_RETRY_BASE_SECONDS", default=30.0)
BOARD_RETRY_MAX_SECONDS = env.float("BOARD_RETRY_MAX_SECONDS", default=1800.0)
BOARD_RETRY_MAX_ATTEMPTS = env.int("BOARD_RETRY_MAX_ATTEMPTS", default=6)
BOARD_RETRY_INLINE_MAX_SECONDS = env.float("BOARD_RETRY_INLINE_MAX_SECONDS", default=5.0)
# A send (or an event's processing) claimed longer ago than this is taken to have died with its worker and may be
# claimed again: longer than a task may run (the cluster's timeout), shorter than django-q's redelivery of a task
# whose worker died (its retry); by default halfway between (boards.E002 checks it).
BOARD_SENDING_LEASE_SECONDS = env.float(
    "BOARD_SENDING_LEASE_SECONDS", default=(Q_CLUSTER["timeout"] + Q_CLUSTER["retry"]) / 2
)
# Processing of an inbound event (a webhook, a polled change) is tried at most this many times before it is failed
# with its reason (the admin can process it again); the waits back off like sends.
BOARD_INBOUND_MAX_ATTEMPTS = env.int("BOARD_INBOUND_MAX_ATTEMPTS", default=8)
# How often the upkeep task runs (minutes): it resumes lost sends and event processing and polls the boards.
BOARD_UPKEEP_MINUTES = env.int("BOARD_UPKEEP_MINUTES", default=5)
# While a job waits on its board as a draft (NHS Jobs: until someone publishes it there), its posting page asks the
# board for the job's status by itself: at most one read per posting every BOARD_DRAFT_CHECK_SECONDS, however many
# pages watch it (the page asks our server twice as often, which costs one row read).
BOARD_DRAFT_CHECK_SECONDS = env.float("BOARD_DRAFT_CHECK_SECONDS", default=30.0)
# A board that fails this many calls in a row for an account (timeouts, dropped connections, 5xx, 429) opens the
# account's circuit: no calls for the cool-down, then one probe; its success closes the circuit.
BOARD_CIRCUIT_FAILURES = env.int("BOARD_CIRCUIT_FAILURES", default=5)
BOARD_CIRCUIT_COOLDOWN_SECONDS = env.float("BOARD_CIRCUIT_COOLDOWN_SECONDS", default=300.0)
# Bulk boards (LocumJobsOnline): a change to a vacancy in the feed asks for a sync this many seconds later, and the
# changes made meanwhile join it (one import, never one per change); "Sync now" sends at once. The feed is also synced
# every night at BOARD_FEED_SYNC_TIME (local time, HH:MM). An import whose callback has not come this many seconds
# after the board accepted it is polled by the upkeep task; one still unfinished after BOARD_IMPORT_GIVE_UP_HOURS is
# failed, so the account's next sync can go.
BOARD_FEED_SYNC_DELAY_SECONDS = env.float("BOARD_FEED_SYNC_DELAY_SECONDS", default=60.0)
BOARD_FEED_SYNC_TIME = env.str("BOARD_FEED_SYNC_TIME", default="02:30")
BOARD_IMPORT_CALLBACK_GRACE_SECONDS = env.float("BOARD_IMPORT_CALLBACK_GRACE_SECONDS", default=180.0)
BOARD_IMPORT_GIVE_UP_HOURS = env.float("BOARD_IMPORT_GIVE_UP_HOURS", default=12.0)
# The fake boards keep their own tables (always installed, so the schema does not depend on the flag).
INSTALLED_APPS += ["boards.sandbox"]

# Personal data retention (recruitment/privacy/; the README's "Personal data" section gives the reason for each).
# A daily task at RETENTION_HOUR (local time) applies them in batches of RETENTION_BATCH_SIZE rows, working at most
# RETENTION_TASK_SECONDS per task (inside the worker's timeout) and queueing its own continuation.
RETENTION_UNSUCCESSFUL_MONTHS = env.int("RETENTION_UNSUCCESSFUL_MONTHS", default=6)
RETENTION_DBS_DETAILS_MONTHS = env.int("RETENTION_DBS_DETAILS_MONTHS", default=6)
RETENTION_IDEMPOTENCY_HOURS = env.int("RETENTION_IDEMPOTENCY_HOURS", default=24)
RETENTION_API_TOKENS_DAYS = env.int("RETENTION_API_TOKENS_DAYS", default=30)
RETENTION_INBOUND_EVENTS_DAYS = env.int("RETENTION_INBOUND_EVENTS_DAYS", default=30)
RETENTION_BOARD_ATTEMPTS_DAYS = env.int("RETENTION_BOARD_ATTEMPTS_DAYS", default=90)
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
RETENTION_HOUR = env.int("RETENTION_HOUR", default=2)
RETENTION_TASK_SECONDS = env.float("RETENTION_TASK_SECONDS", default=Q_CLUSTER["timeout"] / 2)
