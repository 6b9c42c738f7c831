"""Reads of the community's preferences, features and menus, of an account's settings and
hidden accounts, and the account lists SelfCommunity's UI shows (search, suggestions) and its
popular categories."""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.models import Account, Block, Follow, Mute
from categories.models import Category
from categories.selectors import categories_active
from community.models import CustomMenu, Feature, MenuSlot, Preference, UserSettings
from config import errors
from config.params import parse_id
from statuses.models import Status
from statuses.selectors.visibility import row_visible_q

# --- preferences, features, menus -------------------------------------------------------------

PREFERENCE_ORDERING = {"id": "id", "name": "name", "section": "section", "value": "value"}


def preferences_list(*, section: str | None = None, keys: list[str] | None = None,
                     search: str | None = None, ordering: list[str] | None = None
                     ) -> QuerySet[Preference]:
    """The preferences, narrowed as SelfCommunity's PreferenceService asks: one `section`,
    `keys` (`section.name` each), or `search` in the name; `ordering` columns (`-` for
    descending), by section and name otherwise."""
    rows = Preference.objects.all()
    if section:
        rows = rows.filter(section=section)
    if keys is not None:
        # One condition per section (there are 14), whatever the number of keys.
        by_section: dict[str, set[str]] = {}
        for key in keys:
            key_section, _, key_name = key.partition(".")
            by_section.setdefault(key_section, set()).add(key_name)
        wanted = Q(pk__in=[])
        for key_section, names in by_section.items():
            wanted |= Q(section=key_section, name__in=sorted(names))
        rows = rows.filter(wanted)
    if search:
        rows = rows.filter(name__icontains=search)
    return rows.order_by(*(ordering or ()), "section", "name", "id")


def preference_get(*, preference_id: int | None) -> Preference:
    preference = Preference.objects.filter(pk=preference_id).first() if preference_id else None
    if preference is None:
        raise errors.NotFound("Not found.")
    return preference


def features_all() -> QuerySet[Feature]:
    return Feature.objects.order_by("name", "id")


def custom_menus(*, search: str | None = None) -> QuerySet[CustomMenu]:
    """The menus, by id; with `search`, those whose name contains it."""
    menus = CustomMenu.objects.order_by("id")
    return menus.filter(name__icontains=search) if search else menus


def custom_menu_get(*, key: str) -> CustomMenu:
    """A menu by its id, or by the place the UI names (`base`, `not_logged`, `user`)."""
    if key in MenuSlot.values:
        menu = CustomMenu.objects.filter(slot=key).first()
    else:
        menu_id = parse_id(key)
        menu = CustomMenu.objects.filter(pk=menu_id).first() if menu_id else None
    if menu is None:
        raise errors.NotFound("Not found.")
    return menu


def attach_menu_items(menus) -> None:
    """Each menu's items, in their order, in one query for all of them."""
    from community.models import CustomMenuItem

    by_menu: dict[int, list] = {menu.pk: [] for menu in menus}
    if by_menu:
        for item in CustomMenuItem.objects.filter(menu_id__in=list(by_menu)).order_by(
                "order", "id"):
            by_menu[item.menu_id].append(item)
    for menu in menus:
        menu.item_list = by_menu[menu.pk]


# --- one account's settings and hidden accounts ---------------------------------------------

def user_settings_get(*, account: Account) -> UserSettings:
    """The account's settings; the defaults (unsaved) when it never changed them."""
    return UserSettings.objects.filter(account_id=account.pk).first() or UserSettings(
        account_id=account.pk)


def hidden_user_ids(*, viewer: Account) -> list[int]:
    """The accounts the viewer blocks (Mastodon's blocks: the same rows), newest block first."""
    return list(Block.objects.filter(account_id=viewer.pk).order_by("-created_at", "-id")
                .values_list("target_id", flat=True))


def hidden_users(*, viewer: Account) -> QuerySet[Account]:
    """The active accounts the viewer blocks, newest block first."""
    newest = Block.objects.filter(account_id=viewer.pk, target_id=OuterRef("pk"))
    return (Account.objects.filter(blocked_by_rels__account_id=viewer.pk, is_active=True)
            .annotate(blocked_at=Subquery(newest.values("created_at")[:1]))
            .order_by("-blocked_at", "-id"))


# --- people lists ---------------------------------------------------------------------------

def _listed_accounts(viewer: Account | None) -> QuerySet[Account]:
    """Accounts a list of people shows (as statuses.selectors.visibility.listed_accounts_q):
    active, not suspended; for a viewer, none they block, that block them, or that they
    mute."""
    accounts = Account.objects.filter(is_active=True, suspended_at__isnull=True)
    if viewer is None:
        return accounts
    return accounts.exclude(pk=viewer.pk).filter(
        ~Exists(Block.objects.filter(account_id=viewer.pk, target_id=OuterRef("pk"))),
        ~Exists(Block.objects.filter(account_id=OuterRef("pk"), target_id=viewer.pk)),
        ~Exists(Mute.objects.active().filter(account_id=viewer.pk, target_id=OuterRef("pk"))),
    )


def accounts_listed(*, viewer: Account | None) -> QuerySet[Account]:
    """The accounts a list of people may show this viewer (see _listed_accounts)."""
    return _listed_accounts(viewer)


MAX_SEARCH_LENGTH = 64


def accounts_search(*, viewer: Account | None, text: str | None) -> QuerySet[Account]:
    """People whose username starts with `text` (a leading `@` ignored) or whose display name
    contains it, case-insensitively: the exact username first, then usernames that start with
    it, then the most followed. Without text, everyone listed, most followed first."""
    accounts = _listed_accounts(viewer)
    text = (text or "").strip().lstrip("@")[:MAX_SEARCH_LENGTH]
    if not text:
        return accounts.order_by("-followers_count", "id")
    return (accounts.filter(Q(username__istartswith=text) | Q(display_name__icontains=text))
            .annotate(rank=Case(When(username__iexact=text, then=Value(0)),
                                When(username__istartswith=text, then=Value(1)),
                                default=Value(2), output_field=IntegerField()))
            .order_by("rank", "-followers_count", "id"))


def accounts_suggested(*, viewer: Account | None) -> QuerySet[Account]:
    """People to follow: not the viewer, none they follow or asked to follow, none hidden
    either way; those followed by the most of the accounts the viewer follows first, then the
    most followed. Anonymous: the most followed."""
    accounts = _listed_accounts(viewer)
    if viewer is None:
        return accounts.order_by("-followers_count", "id")
    followed = Follow.objects.filter(account_id=viewer.pk, accepted=True).values("target_id")
    mutual = (Follow.objects.filter(target_id=OuterRef("pk"), accepted=True,
                                    account_id__in=followed)
              .order_by().values("target_id").annotate(n=Count("pk")).values("n"))
    return (accounts.filter(~Exists(Follow.objects.filter(account_id=viewer.pk,
                                                          target_id=OuterRef("pk"))))
            .annotate(mutual=Coalesce(Subquery(mutual, output_field=IntegerField()), 0))
            .order_by("-mutual", "-followers_count", "id"))


def categories_popular() -> QuerySet[Category]:
    """The active categories, those with the most statuses anyone may read first (top-level,
    not reblogs: the same for every viewer, so a private status never moves a category), then
    the most recently active, then their order."""
    public = Status.objects.filter(row_visible_q(None), categories=OuterRef("pk"),
                                   reblog_of__isnull=True, in_reply_to__isnull=True)
    count = public.order_by().values("categories").annotate(n=Count("pk")).values("n")
    latest = public.order_by("-last_activity_at").values("last_activity_at")[:1]
    return (categories_active()
            .annotate(activity=Coalesce(Subquery(count, output_field=IntegerField()), 0),
                      latest_activity=Subquery(latest))
            .order_by("-activity", F("latest_activity").desc(nulls_last=True), "order",
                      "name", "id"))
