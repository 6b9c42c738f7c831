"""JSON rendering with an explicit UTF-8 charset, as Mastodon sends it, encoded by orjson
(a 200-status context is a quarter of a megabyte; the stdlib encoder was a tenth of its cost)."""

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class UTF8JSONRenderer(JSONRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        try:
            return orjson.dumps(data)
        except TypeError:
            # Values orjson does not know (lazy strings, Decimals from DRF internals).
            return super().render(data, accepted_media_type, renderer_context)


class JSONNegotiation(DefaultContentNegotiation):
    """Both dialects answer JSON whatever the Accept header says, as Mastodon's API does: the
    renderer is the view's one JSON renderer, without parsing Accept on every request (it was
    a twentieth of an anonymous status GET). Bodies are still parsed by their Content-Type."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type
