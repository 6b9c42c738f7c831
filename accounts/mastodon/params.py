"""The nested parameters of update_credentials, from a form (`fields_attributes[0][name]`,
`source[privacy]`) or a JSON body (`{"fields_attributes": [...] or {"0": {...}}, "source":
{...}}`), as Rails' strong parameters read them."""

import re

from config.params import param_bool, param_str

_FIELD_KEY = re.compile(r"^fields_attributes\[([^\]]*)\]\[(name|value)\]$")


def param_fields(data) -> list[dict] | None:
    """The profile fields given, in order, each {"name", "value"} of strings; None when the
    request does not mention `fields_attributes` (the fields stay as they are)."""
    raw = data.get("fields_attributes") if hasattr(data, "get") else None
    if isinstance(raw, dict):
        raw = list(raw.values())
    if isinstance(raw, list):
        return [{"name": param_str(pair, "name") or "", "value": param_str(pair, "value") or ""}
                for pair in raw if isinstance(pair, dict)]
    if not hasattr(data, "getlist"):
        return None
    pairs: dict[str, dict] = {}
    anonymous = 0
    for key in data:
        match = _FIELD_KEY.match(key)
        if not match:
            continue
        index, part = match.groups()
        for value in data.getlist(key):
            if index == "":  # fields_attributes[][name]: a new pair at each name
                if part == "name" or not pairs:
                    anonymous += 1
                slot = pairs.setdefault(f"_{anonymous}", {"name": "", "value": ""})
            else:
                slot = pairs.setdefault(index, {"name": "", "value": ""})
            slot[part] = value if isinstance(value, str) else ""
    if not pairs:
        return None
    return list(pairs.values())


def param_source(data) -> dict:
    """`source[privacy]`, `source[sensitive]` and `source[language]`, each None when absent."""
    raw = data.get("source") if hasattr(data, "get") else None
    if isinstance(raw, dict):
        return {"privacy": param_str(raw, "privacy"), "sensitive": param_bool(raw, "sensitive"),
                "language": param_str(raw, "language")}
    return {"privacy": param_str(data, "source[privacy]"),
            "sensitive": param_bool(data, "source[sensitive]"),
            "language": param_str(data, "source[language]")}
