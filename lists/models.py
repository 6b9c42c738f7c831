"""An account's lists and their members. This app sits beside conversations, below statuses:
the list timeline and the home timeline's exclusion of exclusive lists are statuses' selectors
(statuses/selectors/timelines.py), which read these tables."""

from django.conf import settings
from django.db import models


class RepliesPolicy(models.IntegerChoices):
    """Which replies of the members the list timeline shows (Mastodon's enum, same numbers):
    to other members (`list`), to anyone the owner follows (`followed`), or none (`none`);
    replies to the owner and an author's replies to themself always."""

    LIST = 0, "list"
    FOLLOWED = 1, "followed"
    NONE = 2, "none"


class UserList(models.Model):
    """Mastodon's List: at most 50 an account, titles of up to 256 characters."""

    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    title = models.CharField(max_length=256)
    replies_policy = models.SmallIntegerField(choices=RepliesPolicy.choices,
                                              default=RepliesPolicy.LIST)
    # The members' statuses leave the owner's home timeline.
    exclusive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # GET /api/v1/lists and the home timeline's exclusive lists: an owner's lists.
        indexes = [models.Index(fields=["account", "exclusive"], name="list_account_exclusive")]

    def __str__(self) -> str:
        return f"List {self.pk} of {self.account_id}: {self.title}"


class ListMember(models.Model):
    """Mastodon's ListAccount: an account on a list, through the owner's follow of it (or its
    pending request). The follow's end (an unfollow, a rejection, a block) takes the member off
    every list of the owner, as the follow row is deleted. The owner may list themself without
    a follow."""

    list = models.ForeignKey(UserList, on_delete=models.CASCADE, related_name="members")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    follow = models.ForeignKey("accounts.Follow", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "account"], name="list_member_unique"),
        ]
        # GET /api/v1/accounts/:id/lists, the list stream's audience of a status.
        indexes = [models.Index(fields=["account"], name="list_member_account")]

    def __str__(self) -> str:
        return f"{self.account_id} on list {self.list_id}"
