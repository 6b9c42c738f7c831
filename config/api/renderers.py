"""JSON rendering with an explicit UTF-8 charset, as Mastodon sends it."""

from rest_framework.renderers import JSONRenderer


class UTF8JSONRenderer(JSONRenderer):
    charset = "utf-8"
    ensure_ascii = False
    compact = True
