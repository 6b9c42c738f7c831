"""statuses/selectors/embedded.py: the statuses another entity embeds, kept to those the reader
may see now, through the cached statement of the one visibility rule, for any number of ids."""

import pytest

from statuses import services
from statuses.models import Status
from statuses.selectors.embedded import SLOTS, visible_statuses_for_page
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_only_what_the_reader_may_see_for_more_ids_than_one_statement_holds():
    author, reader, stranger = AccountFactory(), AccountFactory(), AccountFactory()
    shown, hidden = [], []
    for i in range(SLOTS + 5):
        if i % 3 == 0:
            hidden.append(services.status_create(account=author, text=f"@{stranger.username} {i}",
                                                 visibility="direct").pk)
        else:
            shown.append(services.status_create(account=author, text=f"@{reader.username} {i}",
                                                visibility="direct").pk)
    Status.objects.filter(pk=shown[-1]).update(collapsed=True)
    found = visible_statuses_for_page([*shown, *hidden, 0, 10**12], reader)
    assert sorted(found) == shown[:-1]
    assert all(found[pk].account_id == author.pk for pk in found)
    # Their author sees every one but none of another's the reader may not.
    assert sorted(visible_statuses_for_page([*shown, *hidden], author)) == sorted(shown + hidden)
    assert visible_statuses_for_page([], reader) == {}
