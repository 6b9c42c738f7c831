"""`manage.py seed`: a deterministic demo (default) or load data (`--accounts`, `--statuses`)."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Account
from accounts.services import account_follow
from categories.models import Category, Reaction, Tag, TagType
from config.db_backend import bulk_work
from statuses import seeding
from statuses.models import Status
from statuses.services import status_create
from statuses.services.contributions import Contribution, contribution_create
from statuses.services.feedback import contribution_follow, contribution_vote

DEMO_ACCOUNTS = [
    ("alice", "Alice Demo", "Writes about gardens and #python."),
    ("bob", "Bob Demo", "Tinkers with radios."),
    ("carol", "Carol Demo", "Keeps her posts for followers."),
]
DEMO_POSTS = [
    ("alice", "public", "Hello from the demo server! Read https://docs.joinmastodon.org/ #demo"),
    ("bob", "public", "@alice welcome aboard. The radio tower is up."),
    ("carol", "private", "Followers only: the garden club meets on Friday."),
    ("alice", "unlisted", "An unlisted note about #python packaging."),
    ("bob", "direct", "@carol this one is just for you."),
]
# SelfCommunity's side: categories (Gardening and Radio under Hobbies), a `user` tag held by
# alice and carol, and two statuses written as SelfCommunity HTML, one addressed to the tag.
DEMO_CATEGORIES = [("Hobbies", None), ("Gardening", "Hobbies"), ("Radio", "Hobbies")]
DEMO_CONTRIBUTIONS = [
    ("bob", "is on air", "<p>Listening to <b>shortwave</b> tonight, @alice.</p>", "Radio", False),
    ("carol", "is planting", "<p>Garden club only: seedlings swap on Saturday.</p>", "Gardening",
     True),
]
WORDS = seeding.WORDS
THREAD_ROOT_TEXT = "A long thread starts here"


class Command(BaseCommand):
    help = "Seed a small deterministic demo, or load data with --accounts/--statuses."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=0, help="Load accounts to create")
        parser.add_argument("--statuses", type=int, default=0, help="Load statuses to create")
        parser.add_argument("--replies", type=int, default=0,
                            help="Replies to add to one thread (for context benchmarks)")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (deterministic)")

    def handle(self, *args, accounts, statuses, replies, seed, **options):
        if min(accounts, statuses, replies) < 0:
            raise CommandError("Counts must not be negative")
        rng = random.Random(seed)
        # COPY, index builds and ANALYZE of a large load run for minutes: no statement timeout,
        # no client deadline (the serving limits are for requests).
        with bulk_work():
            self._demo()
            if accounts or statuses or replies:
                self._load(rng, accounts, statuses, replies, seed)

    @transaction.atomic
    def _demo(self):
        created = {}
        for username, name, note in DEMO_ACCOUNTS:
            account, was_created = Account.objects.get_or_create(
                username=username,
                # Discoverable, so the demo's trends, suggestions and directory list them.
                defaults={"display_name": name, "note": note, "email": f"{username}@example.com",
                          "discoverable": True},
            )
            if was_created:
                account.set_password(f"{username}-demo-password")
                account.save(update_fields=["password"])
            created[username] = account
        # Through the service, so the follower counters are right.
        account_follow(account=created["alice"], target=created["carol"])
        if Status.objects.filter(account__in=created.values()).exists():
            self.stdout.write("Demo data already present.")
            return
        categories: dict[str, Category] = {}
        for name, parent in DEMO_CATEGORIES:
            categories[name], _ = Category.objects.get_or_create(
                name=name, defaults={"slug": name.lower()})
            if parent:
                categories[name].parents.add(categories[parent])
        club, _ = Tag.objects.get_or_create(type=TagType.USER, name="garden-club",
                                            defaults={"color": "#2E7D32"})
        club.holders.add(created["alice"], created["carol"])
        first = None
        for username, visibility, text in DEMO_POSTS:
            status = status_create(
                account=created[username], text=text, visibility=visibility,
                in_reply_to_id=first.pk if first and username == "bob" and visibility == "public"
                else None,
                in_reply_to_given=bool(first and username == "bob" and visibility == "public"),
            )
            first = first or status
        contributions = []
        for username, action, text, category, addressed in DEMO_CONTRIBUTIONS:
            contributions.append(contribution_create(account=created[username], body=Contribution(
                action=action, text=text, category_ids=[categories[category].pk], media_ids=[],
                location=None, addressing_ids=[club.pk] if addressed else [], tag_ids=[],
            )))
        # Reactions on bob's SelfCommunity status, so a client has some to show: alice's is the
        # default Like (a Mastodon favourite), carol's another reaction; carol follows it.
        love = Reaction.objects.filter(active=True, is_default=False).order_by("id").first()
        target = contributions[0].pk
        contribution_vote(account=created["alice"], status_id=target, reaction_id=None)
        if love is not None:
            contribution_vote(account=created["carol"], status_id=target, reaction_id=love.pk)
        contribution_follow(account=created["carol"], status_id=target)
        self.stdout.write(self.style.SUCCESS(
            f"Demo: {len(DEMO_ACCOUNTS)} accounts, "
            f"{len(DEMO_POSTS) + len(DEMO_CONTRIBUTIONS)} statuses, "
            f"{len(DEMO_CATEGORIES)} categories."
        ))

    def _progress(self, label: str, done: int, total: int):
        # A bar redrawn in place on a terminal; one line per step in a log.
        width = 30
        filled = width * done // max(total, 1)
        self.stdout.write(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
        )
        if done == total:
            self.stdout.write("")

    def _load(self, rng: random.Random, accounts: int, statuses: int, replies: int, seed: int):
        with transaction.atomic():
            created = seeding.accounts_load(count=accounts, seed=seed, progress=self._progress)
        if accounts:
            self.stdout.write(f"Accounts: {created} created, {accounts - created} already present.")
        pool = list(Account.objects.filter(username__startswith=seeding.LOAD_PREFIX)
                    .order_by("pk"))
        if not pool and (statuses or replies):
            pool = list(Account.objects.order_by("pk")[:3])
        if statuses:
            # The load's first status is dated START: if it is there, the whole load is (it is
            # written in one transaction).
            present = Status.objects.filter(account__in=pool, created_at=seeding.START).exists()
            if present:
                self.stdout.write("Load statuses already present: not loaded again.")
            else:
                started = time.monotonic()
                with transaction.atomic():
                    load = seeding.statuses_load(count=statuses, pool=pool, seed=seed,
                                                 progress=self._progress)
                    rows = time.monotonic()
                    self.stdout.write(f"Rows written in {rows - started:.0f} s; counting counters...")
                    seeding.after_load(load)
                    counted = time.monotonic()
                    self.stdout.write(f"Counters computed in {counted - rows:.0f} s; committing...")
                done = time.monotonic()
                self.stdout.write(self.style.SUCCESS(
                    f"Statuses: {statuses} loaded in {done - started:.0f} s "
                    f"(commit {done - counted:.0f} s)."))
        if replies:
            self._thread(rng, pool, replies)

    def _thread(self, rng: random.Random, pool: list[Account], replies: int):
        """One long thread through the services (for the context benchmark); kept when a
        thread of that size by the same account is already there."""
        root = Status.objects.filter(account=pool[0], text=THREAD_ROOT_TEXT,
                                     deleted_at__isnull=True).order_by("pk").last()
        if root is not None and Status.objects.filter(thread_root=root).count() == replies:
            self.stdout.write(f"Thread root: {root.pk}")
            return
        root = status_create(account=pool[0], text=THREAD_ROOT_TEXT, visibility="public")
        parents = [root]
        for i in range(replies):
            parent = rng.choice(parents)
            reply = status_create(
                account=rng.choice(pool), text=f"Reply {i} " + rng.choice(WORDS),
                visibility="public", in_reply_to_id=parent.pk, in_reply_to_given=True,
            )
            parents.append(reply)
            if (i + 1) % 20 == 0 or i + 1 == replies:
                self._progress("replies", i + 1, replies)
        self.stdout.write(f"Thread root: {root.pk}")
