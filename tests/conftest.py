"""Shared fixtures: a client per dialect and real OAuth tokens."""

import secrets
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from tests.factories import AccountFactory, ApplicationFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _instance_domain(settings):
    # Hashing demo passwords with PBKDF2 would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.INSTANCE_DOMAIN = "social.example"
    settings.INSTANCE_SCHEME = "https"


@pytest.fixture
def token_trip():
    """The extra query of GET a status with a token where the token and the status cannot be
    read in one statement (LATERAL is PostgreSQL's): 0 on PostgreSQL, 1 elsewhere."""
    from django.db import connection

    return 0 if connection.vendor == "postgresql" else 1


@pytest.fixture
def app(db):
    return ApplicationFactory(name="Test Suite", website="")


@pytest.fixture
def make_token(db, app):
    """make_token(account, scopes="read write") -> raw bearer token (a real DOT AccessToken)."""

    def make(account=None, scopes="read write follow push", expires_in=3600, application=None):
        raw = secrets.token_urlsafe(24)
        AccessToken.objects.create(
            user=account,
            application=application or app,
            token=raw,
            scope=scopes,
            expires=timezone.now() + timedelta(seconds=expires_in),
        )
        return raw

    return make


@pytest.fixture
def mastodon(db):
    """A DRF client for the Mastodon dialect; `.as_user(token)` sets the bearer token."""

    class MastodonClient(APIClient):
        def as_token(self, token):
            self.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            return self

    return MastodonClient()


@pytest.fixture
def alice(db):
    return AccountFactory(username="alice", display_name="Alice")


@pytest.fixture
def bob(db):
    return AccountFactory(username="bob", display_name="Bob")


@pytest.fixture
def carol(db):
    return AccountFactory(username="carol", display_name="Carol")


@pytest.fixture
def alice_client(mastodon, make_token, alice):
    return mastodon.as_token(make_token(alice))


@pytest.fixture
def bob_client(make_token, bob):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(bob)}")
    return client


@pytest.fixture
def client_for(make_token):
    """client_for(account) -> an APIClient with a fresh bearer token of that account."""

    def make(account):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(account)}")
        return client

    return make


@pytest.fixture
def moderator(db):
    """A moderator made the way grant_moderator makes one (staff, in the Moderators group)."""
    from django.contrib.auth.models import Group

    account = AccountFactory(username="mod", is_staff=True)
    account.groups.add(Group.objects.get(name="Moderators"))
    return type(account).objects.get(pk=account.pk)


@pytest.fixture
def anon(db):
    return APIClient()


@pytest.fixture(scope="session")
def live_server(live_server):
    """Django's live server queues only 10 waiting connections, so the kernel resets the rest of
    a burst; the concurrency tests open up to 40 at once. Listening again widens the queue."""
    live_server.thread.httpd.socket.listen(128)
    # Each request thread must hand its connection back when it ends, or PostgreSQL refuses to
    # drop the test database at the end of the run.
    # (SQLite's in-memory test database is one connection shared by every thread: leave it be.)
    from django.db import connections

    if connections["default"].vendor == "postgresql":
        connections.settings["default"]["CONN_MAX_AGE"] = 0
    return live_server


@pytest.fixture(scope="session", autouse=True)
def _end_stray_connections(django_db_setup, django_db_blocker):
    """Threads of the live server and of the concurrency tests may still hold a PostgreSQL
    session when the run ends; end them so the test database can be dropped."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def mastodon_py(live_server):
    """mastodon_py("alice") -> a Mastodon.py client for that account (created if needed) with a
    token printed by `create_token`, talking to the live server."""
    import io

    from django.core.management import call_command
    from mastodon import Mastodon

    def make(username: str) -> Mastodon:
        out = io.StringIO()
        call_command("create_token", username, "--create", stdout=out)
        return Mastodon(api_base_url=live_server.url, access_token=out.getvalue().strip())

    return make


@pytest.fixture
def task_worker(live_server):
    """The django-tasks database worker (`manage.py db_worker`'s own loop) running in a thread
    beside the live server, so tasks enqueued by live requests run as they do in production.
    Yields the worker; it stops when the test ends. On in-memory SQLite the worker, the live
    server and the test share one connection: requests and worker passes take turns, and the
    test itself should write to the database before this fixture starts (list it last)."""
    import threading
    import time

    from django.db import connections
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["*"], interval=0.1, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test-worker",
                    excluded_queue_names=[])
    shared = connections["default"]
    in_memory = shared.vendor == "sqlite" and shared.is_in_memory_db()
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    # One connection cannot hold two transactions: on in-memory SQLite the worker's passes
    # and the live server's requests take turns (PostgreSQL gives each thread its own).
    turn = threading.Lock()

    def one_at_a_time(environ, start_response):
        with turn:
            return app(environ, start_response)

    def run():
        if in_memory:
            # SQLite's in-memory test database lives in one connection: use the test's own, as
            # Django's live server thread does.
            connections["default"] = shared
        try:
            if not in_memory:
                worker.run()
                return
            worker.batch = True  # each run() takes every ready task, then returns
            while worker.running:
                with turn:
                    worker.run()
                time.sleep(worker.interval)
        finally:
            if not in_memory:
                connections.close_all()

    if in_memory:
        httpd.set_app(one_at_a_time)
    thread = threading.Thread(target=run, name="task-worker", daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=10)
    if in_memory:
        httpd.set_app(app)
