"""Routes of the public pages: `/@username` (and its tabs) and `/@username/<id>`, the `url`s the
Mastodon serializers give accounts and statuses. None of them is under /api/ or /oauth/, so the
JSON error handling of those paths is untouched."""

from django.urls import re_path

from statuses.pages import views

# accounts.models.USERNAME_RE without its anchors; ids fit a BigAutoField.
USERNAME = r"(?P<username>[A-Za-z0-9_][A-Za-z0-9_.-]{0,29})"

urlpatterns = [
    re_path(rf"^@{USERNAME}$", views.account_page, name="page-account"),
    re_path(rf"^@{USERNAME}/(?P<tab>with_replies|media)$", views.account_page,
            name="page-account-tab"),
    re_path(rf"^@{USERNAME}/(?P<status_id>[0-9]{{1,18}})$", views.status_page,
            name="page-status"),
]
