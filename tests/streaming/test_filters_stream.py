"""Filters on the WebSocket: a status a reader's `hide` filter matches in a stream's context
(home for `user`, public for `public`) is not sent; one a `warn` filter matches is sent with
its `filtered` results, as GET /api/v1/statuses/:id shows it to that reader."""

import json

import pytest

from accounts.models import Follow
from filters import services as filter_services
from statuses import services
from tests.streaming.conftest import in_db, open_socket, run, settle

pytestmark = pytest.mark.django_db(transaction=True)


async def _frame(socket, timeout=3) -> dict:
    while True:
        frame = json.loads(await socket.receive_from(timeout=timeout))
        if frame.get("event") != "notification":
            return frame


def test_hide_filters_drop_statuses_from_the_stream_and_warn_filters_mark_them(
        alice, bob, make_token):
    Follow.objects.create(account=bob, target=alice, accepted=True)
    filter_services.filter_create(
        account=bob, title="h", context=["home"], action="hide",
        keywords=[filter_services.KeywordChange(keyword="spice")])
    filter_services.filter_create(
        account=bob, title="w", context=["public"], action="warn",
        keywords=[filter_services.KeywordChange(keyword="spice")])
    token = make_token(bob, scopes="read")

    async def scenario():
        home = await open_socket(token, query="stream=user")
        public = await open_socket(token, query="stream=public")
        await settle()
        spice = await in_db(services.status_create)(account=alice, text="spice ahead")
        plain = await in_db(services.status_create)(account=alice, text="plain")
        shown = json.loads((await _frame(home))["payload"])
        assert shown["id"] == str(plain.pk) and shown["filtered"] == []
        frames = [json.loads((await _frame(public))["payload"]) for _ in range(2)]
        assert [f["id"] for f in frames] == [str(spice.pk), str(plain.pk)]
        assert [r["filter"]["title"] for r in frames[0]["filtered"]] == ["h", "w"]
        assert frames[0]["filtered"][0]["keyword_matches"] == ["spice"]

    run(scenario)
