"""Mastodon 4.5's hashtag routes: GET /api/v1/tags/:name with follow/unfollow and
feature/unfeature, GET /api/v1/followed_tags, /api/v1/featured_tags (list, create, delete,
suggestions) and GET /api/v1/accounts/:id/featured_tags (TagsController, FollowedTagsController,
FeaturedTagsController and their siblings)."""

from urllib.parse import quote

from django.db import transaction
from rest_framework.response import Response

from accounts import selectors as account_selectors
from config import instance
from config.api.mastodon import RECORD_NOT_FOUND, MastodonError, MastodonViewSet, parse_id
from config.api.pagination import link_header, paginate
from config.scopes import (
    FOLLOW_READ_FOLLOWS,
    FOLLOW_WRITE_FOLLOWS,
    READ_ACCOUNTS,
    WRITE_ACCOUNTS,
)
from statuses.mastodon import filters
from statuses.selectors import tags as selectors
from statuses.services import tags as services


def show_tags(hashtags, viewer, *, following=None) -> list[dict]:
    """Mastodon's Tag entities for `hashtags`: history for all of them in one query, and the
    viewer's `following`/`featuring` (omitted for anonymous callers, as Mastodon does)."""
    ids = [h.pk for h in hashtags]
    histories = selectors.tag_histories(ids)
    if viewer is not None:
        followed, featured = selectors.tag_relationships(viewer=viewer, hashtag_ids=ids)
        if following is not None:
            followed = set(ids) if following else set()
    base = instance.tags_base_url()
    shown = []
    for hashtag in hashtags:
        data = {"id": str(hashtag.pk), "name": hashtag.name,
                "url": base + quote(hashtag.name, safe=""), "history": histories[hashtag.pk]}
        if viewer is not None:
            data["following"] = hashtag.pk in followed
            data["featuring"] = hashtag.pk in featured
        shown.append(data)
    return shown


def show_featured_tags(featured, account) -> list[dict]:
    base = instance.account_url(account.username) + "/tagged/"
    return [{"id": str(f.pk), "name": f.hashtag.name,
             "url": base + quote(f.hashtag.name, safe=""),
             "statuses_count": str(f.statuses_count),
             "last_status_at": f.last_status_at.date().isoformat() if f.last_status_at else None}
            for f in featured]


class TagViewSet(MastodonViewSet):
    required_scopes = {"follow": FOLLOW_WRITE_FOLLOWS, "unfollow": FOLLOW_WRITE_FOLLOWS,
                       "feature": WRITE_ACCOUNTS, "unfeature": WRITE_ACCOUNTS}
    token_required_actions = frozenset({"follow", "unfollow", "feature", "unfeature"})
    user_required_actions = token_required_actions
    public_cache_actions = frozenset({"retrieve"})

    def retrieve(self, request, name=None):
        if selectors.tag_name(name) is None:
            raise MastodonError(404, "Not Found")
        hashtag = selectors.tag_find(name)
        if hashtag is None:
            raise MastodonError(404, RECORD_NOT_FOUND)
        return Response(show_tags([hashtag], self.viewer)[0])

    def follow(self, request, name=None):
        hashtag = services.tag_get_or_create(name)
        services.tag_follow(account=self.viewer, hashtag=hashtag)
        return Response(show_tags([hashtag], self.viewer)[0])

    def unfollow(self, request, name=None):
        hashtag = services.tag_get_or_create(name)
        services.tag_unfollow(account=self.viewer, hashtag=hashtag)
        return Response(show_tags([hashtag], self.viewer)[0])

    def feature(self, request, name=None):
        # One transaction: a refused feature (the limit) leaves no new hashtag behind.
        with transaction.atomic():
            hashtag = services.tag_get_or_create(name)
            services.tag_feature(account=self.viewer, raw_name=hashtag.name)
        return Response(show_tags([hashtag], self.viewer)[0])

    def unfeature(self, request, name=None):
        hashtag = services.tag_get_or_create(name)
        services.tag_unfeature(account=self.viewer, hashtag=hashtag)
        return Response(show_tags([hashtag], self.viewer)[0])


class FollowedTagsViewSet(MastodonViewSet):
    required_scopes = {"list": FOLLOW_READ_FOLLOWS}
    token_required_actions = frozenset({"list"})
    user_required_actions = token_required_actions
    filtersets = {"list": filters.FollowedTagsFilterSet}

    def list(self, request):
        params = self.list_params()
        limit = params["limit"]
        rows = paginate(selectors.followed_tags(account=self.viewer), params, field="id",
                        limit=limit)
        headers = {}
        # Mastodon's `prev` link of this list carries `since_id`.
        link = link_header(request, first_cursor=rows[0].pk if rows else None,
                           last_cursor=rows[-1].pk if rows else None, page_size=len(rows),
                           limit=limit, prev_param="since_id")
        if link:
            headers["Link"] = link
        return Response(show_tags([r.hashtag for r in rows], self.viewer, following=True),
                        headers=headers)


class FeaturedTagsViewSet(MastodonViewSet):
    required_scopes = {"list": READ_ACCOUNTS, "create": WRITE_ACCOUNTS,
                       "destroy": WRITE_ACCOUNTS, "suggestions": READ_ACCOUNTS}
    token_required_actions = frozenset({"list", "create", "destroy", "suggestions"})
    user_required_actions = token_required_actions

    def list(self, request):
        featured = selectors.featured_tags(account_id=self.viewer.pk)
        return Response(show_featured_tags(featured, self.viewer))

    def create(self, request):
        featured = services.tag_feature(account=self.viewer, raw_name=self.body.get("name"))
        shown = [f for f in selectors.featured_tags(account_id=self.viewer.pk)
                 if f.pk == featured.pk]
        return Response(show_featured_tags(shown, self.viewer)[0])

    def destroy(self, request, pk=None):
        services.featured_tag_remove(account=self.viewer, featured_tag_id=parse_id(pk))
        return Response({})

    def suggestions(self, request):
        return Response(show_tags(selectors.featured_tag_suggestions(account=self.viewer),
                                  self.viewer))


class AccountFeaturedTagsViewSet(MastodonViewSet):
    required_scopes = {"list": READ_ACCOUNTS}
    public_cache_actions = frozenset({"list"})

    def list(self, request, account_id=None):
        account = account_selectors.account_get(account_id=parse_id(account_id))
        return Response(show_featured_tags(selectors.featured_tags(account_id=account.pk),
                                           account))
