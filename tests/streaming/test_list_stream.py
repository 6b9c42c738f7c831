"""The `list` stream over the WebSocket: served to the list's owner only (anyone else's list,
or none, is 401 "Not authorized to stream this list", as Mastodon's authorizeListAccess), and
carrying exactly what GET /api/v1/timelines/list/:id would show its owner: the members'
statuses the owner may see, the replies policy applied, never a stranger's."""

import json

import pytest

from accounts.models import Follow
from lists.models import ListMember, RepliesPolicy, UserList
from statuses import services
from tests.factories import AccountFactory
from tests.streaming.conftest import in_db, open_socket, run, settle

pytestmark = pytest.mark.django_db(transaction=True)


def _post(account, text, visibility="public", **more):
    return services.status_create(account=account, text=text, visibility=visibility, **more)


def _list_of(owner, *members, policy=RepliesPolicy.LIST):
    lst = UserList.objects.create(account=owner, title="stream", replies_policy=policy)
    for member in members:
        follow = Follow.objects.get(account=owner, target=member)
        ListMember.objects.create(list=lst, account=member, follow=follow)
    return lst


def test_only_the_owner_may_subscribe(alice, bob, make_token):
    lst = UserList.objects.create(account=alice, title="mine")
    bob_token, alice_token = make_token(bob, scopes="read"), make_token(alice, scopes="read")

    async def scenario():
        socket = await open_socket(bob_token)
        for value in (str(lst.pk), "abc", "0"):
            await socket.send_json_to({"type": "subscribe", "stream": "list", "list": value})
            assert json.loads(await socket.receive_from(timeout=3)) == {
                "error": "Not authorized to stream this list", "status": 401}
        own = await open_socket(alice_token)
        await own.send_json_to({"type": "subscribe", "stream": "list", "list": str(lst.pk)})
        assert await own.receive_nothing(0.5)

    run(scenario)


def test_members_statuses_reach_the_owner_as_the_list_timeline_shows_them(alice, bob, carol,
                                                                          make_token):
    AccountFactory(username="dave")  # mentioned by a direct status
    for target in (bob, carol):
        Follow.objects.create(account=alice, target=target)
    lst = _list_of(alice, bob, policy=RepliesPolicy.NONE)
    token = make_token(alice, scopes="read")

    async def scenario():
        socket = await open_socket(token, query=f"stream=list&list={lst.pk}")
        await settle()
        private = await in_db(_post)(bob, "bob for followers", "private")
        frame = json.loads(await socket.receive_from(timeout=3))
        assert frame["stream"] == ["list", str(lst.pk)] and frame["event"] == "update"
        assert json.loads(frame["payload"])["id"] == str(private.pk)
        # Not a member; a direct status to someone else; a reply the policy leaves out.
        await in_db(_post)(carol, "carol is not on the list")
        await in_db(_post)(bob, "@dave secret", "direct")
        root = await in_db(_post)(carol, "carol root")
        await in_db(_post)(bob, "re carol", in_reply_to_id=root.pk, in_reply_to_given=True)
        assert await socket.receive_nothing(0.8)
        sentinel = await in_db(_post)(bob, "bob again")
        frame = json.loads(await socket.receive_from(timeout=3))
        assert json.loads(frame["payload"])["id"] == str(sentinel.pk)

    run(scenario)


def test_an_exclusive_lists_member_is_heard_on_the_list_and_not_at_home(alice, bob, carol,
                                                                       make_token):
    for target in (bob, carol):
        Follow.objects.create(account=alice, target=target)
    lst = _list_of(alice, bob)
    UserList.objects.filter(pk=lst.pk).update(exclusive=True)
    token = make_token(alice, scopes="read")

    async def scenario():
        home = await open_socket(token, query="stream=user")
        listed = await open_socket(token, query=f"stream=list&list={lst.pk}")
        await settle()
        status = await in_db(_post)(bob, "only on the list")
        frame = json.loads(await listed.receive_from(timeout=3))
        assert json.loads(frame["payload"])["id"] == str(status.pk)
        assert await home.receive_nothing(0.8)
        other = await in_db(_post)(carol, "carol at home")
        frame = json.loads(await home.receive_from(timeout=3))
        assert frame["stream"] == ["user"]
        assert json.loads(frame["payload"])["id"] == str(other.pk)

    run(scenario)
