"""Schemathesis hooks for tests/api/test_fuzz.py (loaded through SCHEMATHESIS_HOOKS).

Random ids almost never name a row, so most operations on `{id}` would only ever answer 404.
An id that schemathesis generates as a number (or a string of digits) is mapped onto one of the
ids that exist in the fuzzed world (FUZZ_IDS, comma-separated); anything else is left as
generated, so malformed and unknown ids are still tried."""

import os

import schemathesis

_IDS = [int(i) for i in os.environ.get("FUZZ_IDS", "").split(",") if i.strip()]


@schemathesis.hook
def map_path_parameters(context, path_parameters):
    if not _IDS or not isinstance(path_parameters, dict):
        return path_parameters
    mapped = dict(path_parameters)
    for name, value in path_parameters.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            mapped[name] = _IDS[value % len(_IDS)]
        elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 18:
            mapped[name] = str(_IDS[int(value) % len(_IDS)])
    return mapped
