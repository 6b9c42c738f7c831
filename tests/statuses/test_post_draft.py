"""PostDraft (statuses/services/posting.py): the face reads a request into it, publishing reads a
scheduled status's kept options into it, and status_create takes it or its fields."""

import json

import pytest
from django.http import QueryDict

from config.params import param_bool, param_list, param_str, parse_id
from statuses.mastodon.params import param_poll, post_draft, submitted_params
from statuses.services import PostDraft, status_create
from tests.factories import AccountFactory

FORM = ("status=Hello&spoiler_text=cw&visibility=unlisted&sensitive=0&sensitive=yes"
        "&language=de&media_ids[]=7&media_ids[]=8&allowed_mentions[]=3&poll[options][]=a"
        "&poll[options][]=b&poll[expires_in]=600&quoted_status_id=%2012%20"
        "&quote_approval_policy=followers&in_reply_to_id=5&scheduled_at=2030-01-01T00:00:00Z")
JSON = {"status": 5, "spoiler_text": ["no"], "visibility": "private", "sensitive": 1,
        "language": None, "media_ids": ["7", 8, {"x": 1}], "allowed_mentions": "3",
        "poll": {"options": ["a", "b"], "multiple": True, "other": 1},
        "quoted_status_id": "abc", "in_reply_to_id": " "}


def _as_the_face_read_it(data) -> dict:
    """Each option cast straight from the request, as the face passed them to status_create
    before the draft."""
    quoted = param_str(data, "quoted_status_id")
    given = quoted is not None and quoted.strip() != ""
    return {
        "text": param_str(data, "status"), "spoiler_text": param_str(data, "spoiler_text"),
        "visibility": param_str(data, "visibility"), "sensitive": param_bool(data, "sensitive"),
        "language": param_str(data, "language"), "media_ids": param_list(data, "media_ids"),
        "allowed_mentions": param_list(data, "allowed_mentions"), "poll": param_poll(data),
        "quote": {"quoted_status_id": parse_id(quoted) if given else None,
                  "quoted_given": given,
                  "policy": param_str(data, "quote_approval_policy")},
    }


@pytest.mark.parametrize("data", [QueryDict(FORM), JSON], ids=["form", "json"])
def test_the_draft_reads_each_option_as_the_request_casts_it(data):
    draft = post_draft(data, idempotency_key="k")
    assert {key: getattr(draft, key) for key in _as_the_face_read_it(data)} == \
        _as_the_face_read_it(data)
    assert draft.submitted == submitted_params(data)
    assert draft.idempotency_key == "k"


@pytest.mark.parametrize("data", [QueryDict(FORM), JSON], ids=["form", "json"])
def test_publishing_reads_the_kept_options_as_the_post_read_them(data):
    draft = post_draft(data, idempotency_key=None)
    # What a scheduled status keeps is the submitted options, stored as JSON.
    kept = json.loads(json.dumps(draft.submitted))
    published = PostDraft.from_options(kept)
    assert {key: getattr(published, key) for key in _as_the_face_read_it(data)} == \
        _as_the_face_read_it(data)


def test_the_reply_target_is_kept_as_given():
    assert post_draft(QueryDict("in_reply_to_id=5"), idempotency_key=None).in_reply_to_id == 5
    unreadable = post_draft(QueryDict("in_reply_to_id=x5"), idempotency_key=None)
    assert (unreadable.in_reply_to_id, unreadable.in_reply_to_given) == (None, True)
    blank = post_draft(QueryDict("in_reply_to_id=%20"), idempotency_key=None)
    assert (blank.in_reply_to_id, blank.in_reply_to_given) == (None, False)


@pytest.mark.django_db
def test_status_create_takes_a_draft_or_its_fields_alike():
    account = AccountFactory()
    drafted = status_create(account=account,
                            draft=PostDraft(text="Hi #there", visibility="unlisted"))
    fielded = status_create(account=account, text="Hi #there", visibility="unlisted")
    columns = ("text", "html", "visibility", "language", "tag_data", "sensitive")
    assert [getattr(drafted, c) for c in columns] == [getattr(fielded, c) for c in columns]


@pytest.mark.django_db
def test_status_create_refuses_a_draft_and_fields_together():
    with pytest.raises(TypeError):
        status_create(account=AccountFactory(), draft=PostDraft(text="a"), text="b")
    with pytest.raises(TypeError):
        status_create(account=AccountFactory(), txet="typo")
