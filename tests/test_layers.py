"""The layers of DESIGN.md, checked on the imports themselves (module level and inside functions).

From the bottom: `config/` (plumbing shared by all apps), `accounts/`, `media/` and
`categories/`, then `statuses/`; the dialect faces (`<app>/mastodon/`, `<app>/selfcommunity/`)
sit on top of every app, so a face may import any app's services and selectors, but never the
other dialect's package. Model relations named by string ("statuses.Status") and the root URLs'
`include("statuses.mastodon.urls")` strings are not imports and are fine.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "categories", "config", "media", "moderation", "statuses")
DIALECTS = ("mastodon", "selfcommunity")

# What a domain module of each app (not its faces) must never import.
FORBIDDEN = {
    # Accounts sit below statuses; statuses, media and categories hang off accounts.
    "accounts": ("statuses", "media", "categories"),
    # Statuses attach media (statuses/services/attachments.py), not the other way round.
    "media": ("statuses",),
    # Statuses carry categories and tags; categories know nothing of statuses or media.
    "categories": ("statuses", "media"),
}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, parts


def _imports(path: Path, parts: tuple[str, ...]) -> list[tuple[int, str]]:
    """Every module `path` imports, absolute, with its line."""
    package = parts if path.name == "__init__.py" else parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ((node.module,) if node.module else ()))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            # `from statuses import selectors` names the submodule too.
            found.extend((node.lineno, f"{name}.{alias.name}") for alias in node.names)
    return found


def _is_face(parts: tuple[str, ...]) -> bool:
    return len(parts) > 1 and parts[0] in APPS and parts[0] != "config" and parts[1] in DIALECTS


def _violations(app: str, rule) -> list[str]:
    bad = []
    for path, parts in _modules(app):
        for line, name in _imports(path, parts):
            reason = rule(parts, tuple(name.split(".")))
            if reason:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {name} ({reason})")
    return sorted(set(bad))


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_lower_apps_do_not_import_higher_ones(app):
    def rule(importer, imported):
        if _is_face(importer):
            return None  # faces sit on top of every app
        if imported[0] in FORBIDDEN[app]:
            return f"{app} sits below {imported[0]}"
        return None

    assert _violations(app, rule) == []


def test_config_imports_no_face():
    def rule(importer, imported):
        if _is_face(imported):
            return "config is plumbing shared by all apps; faces sit on top of it"
        return None

    assert _violations("config", rule) == []


@pytest.mark.parametrize("app", [a for a in APPS if a != "config"])
def test_no_dialect_imports_the_other(app):
    def rule(importer, imported):
        if not _is_face(importer) or not _is_face(imported):
            return None
        if importer[1] != imported[1]:
            return "neither dialect package imports the other"
        return None

    assert _violations(app, rule) == []


def test_the_checker_sees_function_local_and_relative_imports(tmp_path):
    module = tmp_path / "pkg" / "sub" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text("def f():\n    from statuses.models import Status\n"
                      "from . import sibling\nfrom ..other import thing\n")
    names = [name for _, name in _imports(module, ("pkg", "sub", "mod"))]
    assert "statuses.models" in names
    assert "pkg.sub.sibling" in names
    assert "pkg.other.thing" in names
