"""Base settings. Every environment variable read here is listed in docs/configuration.md."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sanyi.settings.env import (
    audit_keys,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    replica_urls,
    secret_key,
    session_engine,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent

SANYI_ENV = env_str("SANYI_ENV", "development")  # development | test | production
PRODUCTION = SANYI_ENV == "production"
DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    # Debug pages show settings, SQL and stack frames to anyone who triggers an error.
    raise ImproperlyConfigured(
        "DEBUG=true is not allowed with SANYI_ENV=production: debug pages would show "
        "settings and internals to the public. Unset DEBUG (or set DEBUG=false)."
    )

DATA_DIR = Path(env_str("SANYI_DATA_DIR", str(Path.cwd() / "var"))).resolve()
SECRET_KEY = secret_key(DATA_DIR, PRODUCTION)
# Keys of the audit chain's HMAC, kept apart from SECRET_KEY (docs/adr/0005).
SANYI_AUDIT_KEY_ID, SANYI_AUDIT_KEYS = audit_keys(DATA_DIR, PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "sanyi.core.staticfiles.SanyiStaticFilesConfig",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "sanyi.core",
    "sanyi.audit",
    "sanyi.orgs",
    "sanyi.calendar",
    "sanyi.search",
    "sanyi.catalog",
    "sanyi.openness",
    "sanyi.applicants",
    "sanyi.notify",
    "sanyi.disclosure_requests",
    "sanyi.annual_reports",
    "sanyi.cases",
    "sanyi.licences",
    "sanyi.ratings",
    "sanyi.appointments",
    "sanyi.grid",
    "sanyi.proactive",
    "sanyi.analytics",
    "sanyi.portal",
    "sanyi.workbench",
    "sanyi.api",
    "sanyi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and CSRF middleware: sees the cookies they set (docs/performance.md).
    "sanyi.core.pagecache.SharedCacheGuardMiddleware",
    # Early: the whole request, session and sign-in included, is one read scope.
    "sanyi.core.middleware.ReadReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sanyi.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "sanyi.workbench.access.WorkbenchAccessMiddleware",
    # Last: reads the resolved page, the user and the session (docs/analytics.md).
    "sanyi.analytics.middleware.BehaviourMiddleware",
]

ROOT_URLCONF = "sanyi.urls"
WSGI_APPLICATION = "sanyi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "sanyi.core.context_processors.site",
                # After Django's own CSRF processor, which it overrides for cached pages.
                "sanyi.core.pagecache.csrf_placeholder",
            ],
        },
    },
]

# Database: SQLite file in the data folder unless DATABASE_URL says otherwise.
_DB_OPTIONS = {
    "conn_max_age": env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    "conn_health_checks": env_bool("DATABASE_CONN_HEALTH_CHECKS", default=False),
    # Behind PgBouncer in transaction mode (docs/deploy.md, "PgBouncer").
    "disable_server_side_cursors": env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False),
}
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sanyi.sqlite3'}"), **_DB_OPTIONS
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if env_str("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}
# Read replicas (docs/adr/0030-read-replicas.md): aliases replica_1 … replica_N. The router
# sends the reads of GET and HEAD requests to one of them and keeps everything else on the
# primary. In tests a replica mirrors the default database.
SANYI_READ_REPLICAS: tuple[str, ...] = ()
for _number, _url in enumerate(replica_urls(), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(_url, **_DB_OPTIONS)
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    SANYI_READ_REPLICAS += (_alias,)
    for _name in ("default", _alias):
        if DATABASES[_name]["ENGINE"] != "django.db.backends.postgresql":
            # Reading one's own writes relies on PostgreSQL's WAL positions.
            raise ImproperlyConfigured(
                "Read replicas (DATABASE_REPLICA_URLS) are PostgreSQL streaming replicas of a "
                f"PostgreSQL DATABASE_URL; {_name} is {DATABASES[_name]['ENGINE']}."
            )
DATABASE_ROUTERS = ["sanyi.core.replicas.ReplicaRouter"]
# Read from the primary even where replicas may serve: who is signed in (sessions, staff
# accounts, applicants, API tokens, second factors, lockouts) and the task queue. A request
# right after sign-in must find its session whatever the replication delay.
SANYI_PRIMARY_ONLY = [
    "sessions",
    "auth",
    "orgs.User",
    "applicants.Applicant",
    "authtoken",
    "otp_totp",
    "axes",
    "django_tasks_database",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when CACHE_URL is set, else memory of this process.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "sanyi",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages for anonymous visitors (sanyi.core.pagecache, docs/performance.md): kept
# whole for SANYI_PAGE_CACHE_SECONDS at most, dropped at once on every publish.
SANYI_PAGE_CACHE = env_bool("SANYI_PAGE_CACHE", default=True)
SANYI_PAGE_CACHE_SECONDS = env_int("SANYI_PAGE_CACHE_SECONDS", 600)
SANYI_PAGE_CACHE_ENTRIES = env_int("SANYI_PAGE_CACHE_ENTRIES", 1000)
# How long browsers and shared caches may show a public page without asking again.
SANYI_PAGE_MAX_AGE = env_int("SANYI_PAGE_MAX_AGE", 120)
# Load the search segmenter's dictionary when a server process starts (sanyi.wsgi).
SANYI_WARM_UP = env_bool("SANYI_WARM_UP", default=PRODUCTION)
CACHES["pages"] = (
    {**CACHES["default"], "KEY_PREFIX": "sanyi-pages"}
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sanyi-pages",
        "OPTIONS": {"MAX_ENTRIES": SANYI_PAGE_CACHE_ENTRIES},
    }
)

# Background work: django-tasks, kept in the database and run by `sanyi db_worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("SANYI_TASKS_BACKEND", "database") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sanyi.orgs.passwords.CharacterClassValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if SANYI_ENV == "test"
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Lockout after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("SANYI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SANYI_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_VERBOSE = False
# Proxies whose X-Forwarded-For is believed (sanyi.core.request_context); axes, the rate
# limits and the audit trail all take the client address from the same function.
SANYI_TRUSTED_PROXIES = env_networks("SANYI_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "sanyi.core.request_context.client_ip_of"
# Per-address cap on sign-in posts, on top of axes' per-user lockout (sanyi.core.login_throttle).
SANYI_LOGIN_IP_LIMIT = env_int("SANYI_LOGIN_IP_LIMIT", 30)
SANYI_LOGIN_IP_WINDOW_MINUTES = env_int("SANYI_LOGIN_IP_WINDOW_MINUTES", 15)
CSRF_FAILURE_VIEW = "sanyi.portal.views.errors.csrf_failure"

# Sessions and cookies. Sessions are rows in the database, which every process and node
# shares; SANYI_SESSION_STORE=cached_db also keeps them in Redis (CACHE_URL) so a request
# reads its session without a query.
SESSION_ENGINE = session_engine(env_str("SANYI_SESSION_STORE", "db"), CACHE_URL)
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# HSTS on by default in production: one year, subdomains included (SECURE_HSTS_SECONDS=0
# turns it off). Preloading is an opt-in the site's owner makes with the browser vendors,
# so it stays off unless asked for, and Django's reminder about it is silenced.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: everything from our own origin, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Files: static assets served by whitenoise; uploads kept outside the web root.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
# Project-wide assets (shared CSS/JS, vendored libraries) live outside any one app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env_str("SANYI_FILE_ROOT", str(DATA_DIR / "files")))
MEDIA_URL = "/files/"  # never served directly; downloads go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if SANYI_ENV == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Source maps are served as they are: compressing them is slow and nobody downloads them.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SANYI_UPLOAD_MAX_BYTES = env_int("SANYI_UPLOAD_MAX_MB", 20) * 1024 * 1024
# Interpretation videos (MP4/WebM) are larger than documents; captions stay small.
SANYI_VIDEO_MAX_BYTES = env_int("SANYI_VIDEO_MAX_MB", 200) * 1024 * 1024
SANYI_CAPTIONS_MAX_BYTES = 512 * 1024
# An imported workbook is refused before parsing when it would expand beyond this.
SANYI_IMPORT_MAX_UNCOMPRESSED_MB = env_int("SANYI_IMPORT_MAX_UNCOMPRESSED_MB", 100)

# REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into a 401.
        "rest_framework.authentication.TokenAuthentication",
        "sanyi.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sanyi.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sanyi.api.errors.problem_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "sanyi.api.throttles.AnonRateThrottle",
        "sanyi.api.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/minute",
        "user": "1200/minute",
        "public_form": "10/minute",
        "api_token": "10/minute",
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sanyi API",
    "DESCRIPTION": "三一平台开放接口：组织机构、工作日历、政务服务事项、办件与政务公开。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Stable component names for code lists, so adding an endpoint never renames them.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "sanyi.orgs.models.OrgKind",
        "CalendarDayKindEnum": "sanyi.calendar.models.DayKind",
        "CalendarWorkdayKindEnum": "sanyi.calendar.api.serializers.WORKDAY_KINDS",
        "AppointmentBookingStatusEnum": "sanyi.appointments.models.BookingStatus",
        "GridVisitOutcomeEnum": "sanyi.grid.models.Outcome",
        "GridVisitConfirmationEnum": "sanyi.grid.models.Confirmation",
        "GridEventStatusEnum": "sanyi.grid.models.EventStatus",
        "GridEventCategoryEnum": "sanyi.grid.models.EventCategory",
        "GridEventHolderActionEnum": "sanyi.grid.api.serializers.EVENT_HOLDER_ACTIONS",
        **{
            f"Catalog{name}Enum": f"sanyi.catalog.choices.{name}"
            for name in (
                "ItemType",
                "ItemLevel",
                "PowerSource",
                "ImplementerNature",
                "HandlingType",
                "LimitUnit",
                "Channel",
                "OnlineDepth",
                "ServiceObject",
                "ResultType",
                "MaterialType",
                "MaterialForm",
                "MaterialNecessity",
                "MaterialSource",
                "LegalBasisKind",
                "StepUnitLevel",
                "VersionStatus",
                "LifeEventAudience",
            )
        },
        "RoleEnum": "sanyi.orgs.models.Role",
        "AnnualReportStatusEnum": "sanyi.annual_reports.choices.ReportStatus",
        "AnnualReportScopeEnum": "sanyi.annual_reports.choices.ReportScope",
        **{
            f"Disclosure{name}Enum": f"sanyi.disclosure_requests.choices.{name}"
            for name in (
                "RequestStatus",
                "IntakeChannel",
                "ApplicantColumn",
                "DeliveryForm",
                "Outcome",
                "ReplyMethod",
                "OpinionDelivery",
                "PaperMethod",
                "FeeMethod",
                "StopKind",
                "AppealKind",
                "AppealResult",
            )
        },
        "DisclosureConcludedAppealResultEnum": (
            "sanyi.disclosure_requests.api.serializers.CONCLUDED_APPEAL_RESULTS"
        ),
        **{
            f"Case{name}Enum": f"sanyi.cases.choices.{name}"
            for name in (
                "CaseStatus",
                "CaseChannel",
                "AcceptanceDecision",
                "MaterialStatus",
                "MaterialOrigin",
                "TaskStatus",
                "TaskAction",
                "StopReason",
                "WarningLevel",
                "Decision",
                "DeliveryMethod",
                "VisitPurpose",
                "EventKind",
            )
        },
        "CaseCheckResultEnum": "sanyi.cases.api.serializers.CHECK_RESULTS",
        "CaseWorklistScopeEnum": "sanyi.cases.api.serializers.WORKLIST_SCOPES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sanyi.api.schema.add_problem_responses",
        "sanyi.api.schema.drop_storage_integer_bounds",
    ],
}

# Working days: something received on a non-working day counts as received on the next
# working day (STANDARDS.md §5). Set to false to count from the calendar day itself.
SANYI_ROLL_NONWORKING_RECEIPT = env_bool("SANYI_ROLL_NONWORKING_RECEIPT", default=True)
# Working days a unit has to rectify a bad rating (好差评 差评整改), counted from the rating.
SANYI_RECTIFICATION_DAYS = env_int("SANYI_RECTIFICATION_DAYS", 5)
# Requests for information (docs/openness-requests.md): working days the applicant has to
# correct an application and to pay a fee, the share of the 20 working days after which a request
# turns yellow, and working days before an unconfirmed online request is flagged.
SANYI_REQUEST_CORRECTION_DAYS = env_int("SANYI_REQUEST_CORRECTION_DAYS", 15)
SANYI_REQUEST_FEE_DAYS = env_int("SANYI_REQUEST_FEE_DAYS", 20)
SANYI_REQUEST_YELLOW_SHARE = float(env_str("SANYI_REQUEST_YELLOW_SHARE", "0.8"))
SANYI_REQUEST_CONFIRM_DAYS = env_int("SANYI_REQUEST_CONFIRM_DAYS", 2)
# Public request form and tracking: attempts per address per window.
SANYI_REQUEST_SUBMIT_LIMIT = env_int("SANYI_REQUEST_SUBMIT_LIMIT", 10)
SANYI_REQUEST_SUBMIT_WINDOW_MINUTES = env_int("SANYI_REQUEST_SUBMIT_WINDOW_MINUTES", 60)
SANYI_REQUEST_TRACK_LIMIT = env_int("SANYI_REQUEST_TRACK_LIMIT", 20)
SANYI_REQUEST_TRACK_WINDOW_MINUTES = env_int("SANYI_REQUEST_TRACK_WINDOW_MINUTES", 15)
# Cases (docs/cases.md): share of the promised limit after which a case turns yellow, and
# the page limit of an uploaded PDF material.
SANYI_CASE_WARNING_SHARE = float(env_str("SANYI_CASE_WARNING_SHARE", "0.8"))
SANYI_CASE_PDF_MAX_PAGES = env_int("SANYI_CASE_PDF_MAX_PAGES", 50)
SANYI_REQUIRE_ADMIN_OTP = env_bool("SANYI_REQUIRE_ADMIN_OTP", default=True)
SANYI_SITE_NAME = env_str("SANYI_SITE_NAME", "示范区政务服务与政务公开平台")
SANYI_DEMO = env_bool("SANYI_DEMO", default=False)
# How many cases the demo's year of activity makes (sanyi demo load; the tests use fewer).
SANYI_DEMO_YEAR_CASES = env_int("SANYI_DEMO_YEAR_CASES", 24000)

# Notifications and applicant sign-in (docs/notifications.md, docs/applicants.md).
SANYI_PUBLIC_URL = env_str("SANYI_PUBLIC_URL", "")
SANYI_SMS_PROVIDER = env_str("SANYI_SMS_PROVIDER", "console")
SANYI_SMS_SIGNATURE = env_str("SANYI_SMS_SIGNATURE", "")
SANYI_SMS_FILE = env_str("SANYI_SMS_FILE", str(DATA_DIR / "sms.jsonl"))
SANYI_NOTIFY_STAFF_SMS = env_bool("SANYI_NOTIFY_STAFF_SMS", default=False)
SANYI_NOTIFY_MAX_ATTEMPTS = env_int("SANYI_NOTIFY_MAX_ATTEMPTS", 8)
SANYI_NOTIFY_BACKOFF_SECONDS = env_int("SANYI_NOTIFY_BACKOFF_SECONDS", 60)
SANYI_NOTIFY_BACKOFF_MAX_SECONDS = env_int("SANYI_NOTIFY_BACKOFF_MAX_SECONDS", 6 * 60 * 60)
SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES = env_int("SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES", 15)
SANYI_WEBHOOK_TIMEOUT_SECONDS = env_int("SANYI_WEBHOOK_TIMEOUT_SECONDS", 10)
SANYI_APPLICANT_CODE_MINUTES = env_int("SANYI_APPLICANT_CODE_MINUTES", 5)
SANYI_APPLICANT_CODE_TRIES = env_int("SANYI_APPLICANT_CODE_TRIES", 5)
SANYI_APPLICANT_CODES_PER_NUMBER = env_int("SANYI_APPLICANT_CODES_PER_NUMBER", 5)
SANYI_APPLICANT_CODES_PER_IP = env_int("SANYI_APPLICANT_CODES_PER_IP", 20)
SANYI_APPLICANT_CODE_INTERVAL_SECONDS = env_int("SANYI_APPLICANT_CODE_INTERVAL_SECONDS", 60)
SANYI_CASE_CORRECTION_DAYS = env_int("SANYI_CASE_CORRECTION_DAYS", 10)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # PDF generation (WeasyPrint, fontTools) reports every font subset at INFO.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Scheduled jobs and housekeeping (docs/deploy.md "Scheduled jobs").
SANYI_OUTBOX_KEEP_DAYS = env_int("SANYI_OUTBOX_KEEP_DAYS", 90)
SANYI_SCHEDULER_KEEP_DAYS = env_int("SANYI_SCHEDULER_KEEP_DAYS", 30)
