"""Renderers of the events a stream shows but does not own: `notification` and `conversation`,
whose faces live in the notifications and conversations apps. Each registers
`fn(viewer, **ids) -> dict | None` for its kind (the ids its announcement carried); None means
"not for this reader" (hidden now, dismissed, no longer visible), and nothing is sent.

This module imports nothing of the project, so any face may register from its AppConfig.ready.
"""

from collections.abc import Callable

Renderer = Callable[..., dict | None]

_RENDERERS: dict[str, Renderer] = {}


def register(kind: str, fn: Renderer) -> None:
    """Render events of `kind` with `fn`; a second registration replaces the first."""
    _RENDERERS[kind] = fn


def unregister(kind: str) -> None:
    _RENDERERS.pop(kind, None)


def get(kind: str) -> Renderer | None:
    return _RENDERERS.get(kind)
