"""Django settings, read from the environment so no secret lives in the repository."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

# Mastodon's scopes, each granular one covered by its parent: what the OAuth provider offers.
from config.scopes import MASTODON_SCOPES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
# A development key is acceptable only while the server answers local names alone; as soon as
# ALLOWED_HOSTS names a real host, SECRET_KEY must come from the environment.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if set(ALLOWED_HOSTS) - _LOCAL_HOSTS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when ALLOWED_HOSTS names a real host")
    SECRET_KEY = "development-only-key-not-for-production"

INSTANCE_DOMAIN = os.environ.get("INSTANCE_DOMAIN", "127.0.0.1:8000")
# Scheme used to build absolute `uri`/`url` values; plain http for the local demo domain.
INSTANCE_SCHEME = os.environ.get(
    "INSTANCE_SCHEME",
    "http" if INSTANCE_DOMAIN.split(":")[0] in {"localhost", "127.0.0.1", "testserver"} else "https",
)
INSTANCE_TITLE = os.environ.get("INSTANCE_TITLE", "Duostatus")
# The instance's contact address (`email` of /api/v1/instance, `contact.email` of v2); empty, as
# Mastodon answers when its admin set none.
INSTANCE_CONTACT_EMAIL = os.environ.get("INSTANCE_CONTACT_EMAIL", "")
# HTML of /api/v1/instance/extended_description and /privacy_policy (empty: none / our default).
INSTANCE_EXTENDED_DESCRIPTION = os.environ.get("INSTANCE_EXTENDED_DESCRIPTION", "")
INSTANCE_PRIVACY_POLICY = os.environ.get("INSTANCE_PRIVACY_POLICY", "")

INSTALLED_APPS = [
    # daphne's runserver serves HTTP and the streaming WebSocket on one port (config/asgi.py).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "statuses",
    "media",
    "categories",
    # Before moderation: its permissions must exist when moderation's post_migrate gives the
    # Moderators group theirs (moderation/roles.py).
    "instance_extras",
    "community",
    "moderation",
    "streaming",
    "conversations",
    "lists",
    "filters",
    "notifications",
    "trends",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database or cache outage answers 503 with Retry-After in the dialect's envelope.
    "config.outage.OutageMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# API views are csrf_exempt (bearer tokens); should a CSRF check still refuse a request under
# /api/ or /oauth/, it answers in the dialect's JSON envelope (config/views.py).
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

ROOT_URLCONF = "config.urls"
# Mastodon routes have no trailing slash and SelfCommunity routes have one; each is routed
# explicitly, so Django must never redirect between the two spellings.
APPEND_SLASH = False

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
# The streaming process (daphne on config.asgi): Mastodon's streaming API, and in development
# (`manage.py runserver`) everything else too.
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    # Server-side binding with prepared statements halves the cost of the hot precompiled
    # queries (measured 0.61 -> 0.29 ms for a status read). Turn off behind a transaction-pooling
    # PgBouncer older than 1.21, which cannot keep prepared statements.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must fail a request within seconds (a JSON 503, see
    # config/outage.py), not hold a worker for the kernel's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
    # No JIT: the visibility rule's correlated subqueries make the planner's cost estimates
    # huge, so PostgreSQL JIT-compiled every list count and page, which took 670 ms of a
    # 950 ms count at 100,000 statuses; our queries are short OLTP reads. DB_JIT=1 restores it.
    if not env_bool("DB_JIT", False):
        options = DATABASES["default"]["OPTIONS"]
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    # Generic plans for prepared statements. PostgreSQL's default (`auto`) kept re-planning the
    # list statements on every execution, since the rule's subqueries make a generic plan look
    # costly: planning took 30 ms of a public timeline page whose execution took 1.6 ms.
    # DB_PLAN_CACHE_MODE=auto restores the default.
    plan_mode = os.environ.get("DB_PLAN_CACHE_MODE", "force_generic_plan")
    if plan_mode:
        options = DATABASES["default"]["OPTIONS"]
        options["options"] = (options.get("options", "") + f" -c plan_cache_mode={plan_mode}"
                              ).strip()
    # Every statement ends within DB_STATEMENT_TIMEOUT seconds on the server (a runaway query or
    # a long lock wait is a 503, not a worker held until gunicorn kills it); 0 turns it off.
    # Bulk work (seed, migrate, check_counters) lifts it with config.db_backend.bulk_work().
    statement_timeout = float(os.environ.get("DB_STATEMENT_TIMEOUT", "5"))
    options = DATABASES["default"]["OPTIONS"]
    options["options"] = (options.get("options", "")
                          + f" -c statement_timeout={round(statement_timeout * 1000)}").strip()
    # TCP keepalives find a database that vanished under an idle kept connection (a partition, a
    # failover) before a request waits on it, and tcp_user_timeout drops a connection whose sent
    # data stays unacknowledged. A stopped-but-alive server still acknowledges and answers
    # probes, which neither can see: the client deadline below covers that.
    if env_bool("DB_KEEPALIVES", True):
        options.setdefault("keepalives", 1)
        options.setdefault("keepalives_idle", int(os.environ.get("DB_KEEPALIVES_IDLE", "30")))
        options.setdefault("keepalives_interval",
                           int(os.environ.get("DB_KEEPALIVES_INTERVAL", "10")))
        options.setdefault("keepalives_count", int(os.environ.get("DB_KEEPALIVES_COUNT", "3")))
        options.setdefault("tcp_user_timeout",
                           round(float(os.environ.get("DB_TCP_USER_TIMEOUT", "30")) * 1000))
    # The client's own deadline for each exchange with the server (config/db_backend): against a
    # frozen PostgreSQL only the client can stop waiting. A little above the statement timeout,
    # so that a healthy server's cancellation comes first; without one, under gunicorn's
    # worker timeout. 0 turns it off.
    DATABASES["default"]["QUERY_DEADLINE"] = float(os.environ.get(
        "DB_QUERY_DEADLINE",
        statement_timeout + 1 if statement_timeout
        else max(int(os.environ.get("GUNICORN_TIMEOUT", "30")) - 5, 1)))
    DATABASES["default"]["ENGINE"] = "config.db_backend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Account"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.EmailBackend",
]
LOGIN_URL = "/auth/login/"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that does not answer fails the request fast (503), not after minutes.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Streaming (streaming/): the services' announcements reach every streaming process through the
# channel layer. With Redis (STREAMING_REDIS_URL, else REDIS_URL), its pub/sub, so gunicorn
# workers, db_workers and streaming servers on several machines share one stream; without, an
# in-memory layer that only a single process (`manage.py runserver`) shares with itself.
STREAMING_REDIS_URL = os.environ.get("STREAMING_REDIS_URL", REDIS_URL)
if STREAMING_REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [STREAMING_REDIS_URL],
                       "prefix": os.environ.get("STREAMING_REDIS_PREFIX", "duostatus")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Where clients open the stream (the instance's `urls.streaming`); empty: this API's own origin
# with ws:// or wss://, which a load balancer routes to the streaming process.
STREAMING_URL = os.environ.get("STREAMING_URL", "").rstrip("/")
# The port of `make serve`'s streaming process (daphne) beside gunicorn.
STREAMING_PORT = int(os.environ.get("STREAMING_PORT", "4000"))
# Seconds between the `:thump` comments of an event stream (Mastodon's 15).
STREAMING_HEARTBEAT = float(os.environ.get("STREAMING_HEARTBEAT", "15"))

# How many viewer-independent status renderings each process keeps (statuses/render_cache.py);
# 0 turns the cache off.
STATUS_RENDER_CACHE_SIZE = int(os.environ.get("STATUS_RENDER_CACHE_SIZE", "20000"))

# SelfCommunity lists count their rows up to this many (statuses.selectors.count_bound):
# counting 10,000 rows through the visibility rule took 55 ms a page, 1,000 about a tenth.
SC_LIST_COUNT_CAP = int(os.environ.get("SC_LIST_COUNT_CAP", "1000"))

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise serves STATIC_ROOT. With STATIC_MANIFEST on (`make serve`, compose.yaml) collectstatic
# writes compressed, content-hashed copies that are served with a year's Cache-Control; it needs
# collectstatic to have run with it on, so development and tests keep Django's plain storage.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
if STATIC_MANIFEST:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media_files"))
# The app serves uploaded files itself in development; production puts a web server in front.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)

# Both dialects read bearer tokens themselves (config.api.auth); DRF's defaults only matter for
# views outside the two dialects.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["config.api.renderers.UTF8JSONRenderer"],
    # Our JSONParser bounds nesting depth: a deeply nested body is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.generator.DuostatusAutoSchema",
}

# The OpenAPI description of both dialects at /api/schema/, Swagger UI at /api/docs/ served from
# the sidecar's own files (no CDN). The responses come from config/api/schema/, not from DRF
# serializers, which the dialects do not use.
SPECTACULAR_SETTINGS = {
    "TITLE": "Duostatus API",
    "DESCRIPTION": (
        "Two status APIs over one database: Mastodon v1 (`/api/v1/...`, string ids, errors as "
        '`{"error": "..."}`) and SelfCommunity v2 (`/api/v2/.../`, integer ids, errors as '
        '`{"errors": [...]}`).'
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[12]",
    "SCHEMA_PATH_PREFIX_TRIM": False,
    "COMPONENT_SPLIT_REQUEST": False,
    "DISABLE_ERRORS_AND_WARNINGS": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["config.api.schema.generator.postprocess"],
}

OAUTH2_PROVIDER_APPLICATION_MODEL = "accounts.Application"
OAUTH2_PROVIDER = {
    "SCOPES": MASTODON_SCOPES,
    "DEFAULT_SCOPES": ["read"],
    "SCOPES_BACKEND_CLASS": "accounts.oauth.ApplicationScopes",
    "OAUTH2_VALIDATOR_CLASS": "accounts.oauth.MastodonOAuth2Validator",
    # PKCE as Mastodon takes it: S256 only (accounts/oauth.py).
    "OAUTH2_SERVER_CLASS": "accounts.oauth.MastodonOAuthServer",
    # Mastodon tokens do not expire unless revoked.
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("ACCESS_TOKEN_EXPIRE_SECONDS", 10 * 365 * 86400)),
    "REFRESH_TOKEN_EXPIRE_SECONDS": None,
    "ROTATE_REFRESH_TOKEN": True,
    "PKCE_REQUIRED": False,
    # Mastodon apps register custom schemes (com.example.app://) and the out-of-band URN.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    "ALLOWED_SCHEMES": ["https", "http"],
    "ALLOW_URI_WILDCARDS": False,
    # Mastodon (Doorkeeper) offers the password grant, and Mastodon.py's log_in() uses it.
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": False,
}

# Mastodon's Rack::Cors also opens /.well-known/* (nodeinfo, OAuth discovery: clients read the
# metadata from their own origin) to any origin; /nodeinfo/2.x it leaves closed, and so do we.
CORS_URLS_REGEX = r"^/(api|oauth|\.well-known)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_EXPOSE_HEADERS = ["Link", "Retry-After", "X-RateLimit-Reset", "X-RateLimit-Limit",
                       "X-RateLimit-Remaining",
                       "X-Request-Id", "Idempotency-Key"]
# content-range: SelfCommunity's UI uploads media in pieces (rpldy's chunked sender) to
# /api/v2/media/upload/chunk/, each with its Content-Range; a UI on another origin than the API
# is refused at the preflight without it.
CORS_ALLOW_HEADERS = ["authorization", "content-type", "idempotency-key", "accept", "origin",
                      "user-agent", "x-requested-with", "content-range"]

# The proxies (load balancers, a local nginx) whose X-Forwarded-For names the client: addresses
# or networks, comma-separated, "*" for any; the same variable tells gunicorn whose
# X-Forwarded-Proto to trust. Every rate limit and the login throttle key on the client address
# this yields (config.ratelimit.client_ip), not on the proxy's.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
                   .split(",") if p.strip()]

# Mastodon's limits: (count, seconds). RATE_LIMITS_ENABLED=0 turns them off (benchmarks).
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = {
    "statuses": (300, 3 * 3600),  # posting limiter: statuses and edits per account
    "authenticated_api": (1500, 300),  # per user
    "per_token_api": (300, 300),  # per token
    "unauthenticated_api": (300, 300),  # per IP (IPv6 /64)
    "authenticated_paging": (300, 900),
    "unauthenticated_paging": (300, 900),
    "api_delete": (30, 1800),  # DELETE /statuses/:id and POST /statuses/:id/unreblog
    "api_media": (30, 1800),  # POST /api/v*/media
}


def _limit(name: str, default: str) -> tuple[int, int]:
    """A "count/seconds" pair from the environment."""
    count, _, seconds = os.environ.get(name, default).partition("/")
    return int(count), int(seconds)


# Login throttling (accounts/login_throttle.py): failed passwords at the OAuth password grant,
# /auth/login/ and /admin/login/, counted per IP (IPv6 /64) and per account name as typed, in
# the cache (Redis with REDIS_URL, so every process and machine shares the counts). A key that
# has used up its failures may not try another password until its window ends (429); tokens
# and sessions already issued keep working. Mastodon's Rack::Attack figures:
# throttle_login_attempts/ip is 25 per 5 minutes, throttle_login_attempts/email 25 per hour.
# Separate from RATE_LIMITS_ENABLED, which benchmarks switch off.
LOGIN_THROTTLE_ENABLED = env_bool("LOGIN_THROTTLE_ENABLED", True)
LOGIN_LIMITS = {
    "login_ip": _limit("LOGIN_LIMIT_PER_IP", "25/300"),
    "login_name": _limit("LOGIN_LIMIT_PER_NAME", "25/3600"),
}
# Background work (media processing): django-tasks with its database backend, so it works on
# SQLite and scales across machines on PostgreSQL (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Trends (trends/services.py): interactions counted over TRENDS_WINDOW, statuses up to
# TRENDS_STATUS_MAX_AGE old, a status's score halved every TRENDS_HALF_LIFE of its age, at least
# TRENDS_MIN_INTERACTIONS to trend, TRENDS_KEEP of each kind kept.
TRENDS_WINDOW = timedelta(hours=int(os.environ.get("TRENDS_WINDOW_HOURS", 24)))
TRENDS_STATUS_MAX_AGE = timedelta(hours=int(os.environ.get("TRENDS_STATUS_MAX_AGE_HOURS", 72)))
TRENDS_HALF_LIFE = timedelta(hours=int(os.environ.get("TRENDS_HALF_LIFE_HOURS", 6)))
TRENDS_MIN_INTERACTIONS = int(os.environ.get("TRENDS_MIN_INTERACTIONS", 1))
TRENDS_KEEP = 200

# Media: Mastodon's limits; images up to MEDIA_SYNC_IMAGE_BYTES are processed during the upload
# request, anything larger (and every video or audio file) by a background task.
MEDIA_IMAGE_LIMIT = int(os.environ.get("MEDIA_IMAGE_LIMIT", 16 * 1024 * 1024))
# Avatars and headers (update_credentials): Mastodon 4.5 takes up to 8 MB for each.
PROFILE_IMAGE_LIMIT = int(os.environ.get("PROFILE_IMAGE_LIMIT", 8 * 1024 * 1024))
MEDIA_OTHER_LIMIT = int(os.environ.get("MEDIA_OTHER_LIMIT", 100 * 1024 * 1024))
MEDIA_SYNC_IMAGE_BYTES = int(os.environ.get("MEDIA_SYNC_IMAGE_BYTES", 4 * 1024 * 1024))
MEDIA_DESCRIPTION_LIMIT = 1500
MEDIA_UNATTACHED_TTL_SECONDS = 86400
# SelfCommunity's chunked uploads: an upload not completed within this time is removed, and the
# folder under MEDIA_ROOT where the pieces received so far are kept.
MEDIA_CHUNKED_UPLOAD_TTL_SECONDS = 86400
MEDIA_CHUNKED_UPLOAD_DIR = "chunked_uploads"
# Uploads go to disk, not memory, above this size; the largest accepted body is the media limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Outbound fetches (link previews, media/fetch.py): public addresses only, pinned, bounded.
FETCH_TIMEOUT = 5
FETCH_MAX_BYTES = 1024 * 1024
FETCH_ALLOWED_PORTS = {80, 443}
# Exact host names the fetcher may reach despite private addresses: for tests only. Never set it
# in production (it would let users make the server call internal addresses).
FETCH_ALLOW_PRIVATE_HOSTS: list[str] = []
# TESTS ONLY, never in production: {"example.org": "127.0.0.1:8123"} makes the fetcher connect
# to that address for a host that is also in FETCH_ALLOW_PRIVATE_HOSTS, keeping the URL, the
# Host header and every other rule of the real name (Mastodon.py's own card test posts
# http://example.org/). Empty: every host is resolved by DNS.
FETCH_TEST_RESOLVE: dict[str, str] = {}

# Machine translation (POST /api/v1/statuses/:id/translate), with Mastodon's variables: DeepL when
# DEEPL_API_KEY is set (DEEPL_PLAN free or pro picks the host; DEEPL_API_URL replaces it), else
# LibreTranslate at LIBRE_TRANSLATE_ENDPOINT; neither: off. The operator's own service, called
# directly (not through media/fetch.py) but within one deadline and a size cap.
DEEPL_API_KEY = os.environ.get("DEEPL_API_KEY", "")
DEEPL_PLAN = os.environ.get("DEEPL_PLAN", "free")
DEEPL_API_URL = os.environ.get("DEEPL_API_URL", "")
LIBRE_TRANSLATE_ENDPOINT = os.environ.get("LIBRE_TRANSLATE_ENDPOINT", "")
LIBRE_TRANSLATE_API_KEY = os.environ.get("LIBRE_TRANSLATE_API_KEY", "")
TRANSLATION_TIMEOUT = float(os.environ.get("TRANSLATION_TIMEOUT", "10"))
TRANSLATION_MAX_BYTES = int(os.environ.get("TRANSLATION_MAX_BYTES", str(1024 * 1024)))
# The language a request asks for when it names none (Mastodon's DEFAULT_LOCALE).
DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "en")

# The Retry-After (seconds) of the 503 that a database or cache outage answers.
OUTAGE_RETRY_AFTER = int(os.environ.get("OUTAGE_RETRY_AFTER", "10"))
# GET /health's database check (connecting included) ends within this many seconds, so a load
# balancer sees a frozen database as a 503 before its own check times out (at least 2: libpq's
# shortest connect timeout).
HEALTH_TIMEOUT = float(os.environ.get("HEALTH_TIMEOUT", "2"))

STATUS_MAX_CHARACTERS = 500
STATUS_MAX_MEDIA_ATTACHMENTS = 4
IDEMPOTENCY_TTL_SECONDS = 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"

# The covering index of SelfCommunity's lists (statuses.Status, status_top_level) includes
# columns only PostgreSQL can store in an index; SQLite (development, tests) gets it without
# them, which is all that warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
