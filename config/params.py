"""Rails' casting of request parameters, as Mastodon (strong parameters) applies it to form and
JSON bodies alike: a scalar parameter given as an array or object is dropped, an array parameter
given as a scalar is dropped, booleans follow ActiveModel's casting, ids are ASCII digits. Used by
the Mastodon face and by the service that keeps a scheduled post's parameters as submitted."""

_FALSE_VALUES = {"0", "f", "false", "off", "no"}


def param_str(data, key: str) -> str | None:
    value = data.get(key) if hasattr(data, "get") else None
    if hasattr(data, "getlist"):
        values = data.getlist(key)
        value = values[-1] if values else None
    if value is None or isinstance(value, (list, dict)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        return None
    return value


def param_bool(data, key: str) -> bool | None:
    """None when absent or empty; otherwise Rails' cast: only the false spellings are false."""
    raw = data.get(key) if hasattr(data, "get") else None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return raw != 0
    value = param_str(data, key)
    if value is None or value.strip() == "":
        return None
    return value.strip().lower() not in _FALSE_VALUES


def param_list(data, key: str) -> list[str] | None:
    """`key[]=a&key[]=b` (form) or `{"key": ["a", "b"]}` (JSON). None when absent or scalar."""
    if hasattr(data, "getlist"):
        values = data.getlist(f"{key}[]")
        if values:
            return [str(v) for v in values if not isinstance(v, (list, dict))]
        if key in data:
            raw = data.get(key)
            if isinstance(raw, list):
                return [str(v) for v in raw if not isinstance(v, (list, dict))]
        return None
    raw = data.get(key, data.get(f"{key}[]")) if hasattr(data, "get") else None
    if isinstance(raw, list):
        return [str(v) for v in raw if not isinstance(v, (list, dict))]
    return None


def parse_id(value) -> int | None:
    """A row id from a path or parameter (either dialect); None when it cannot name a row.
    Only ASCII digits name one: int() would also read "١٢" or full-width digits."""
    text = str(value)
    if not text.isascii():
        return None
    try:
        number = int(text)
    except (TypeError, ValueError):
        return None
    if number <= 0 or number > 9_223_372_036_854_775_807:
        return None
    return number
