"""The layers of DESIGN.md as declared in `.importlinter` (the contract types are in
tests/architecture.py; `.ci/run` runs `lint-imports`): kept by the code, and broken by a planted
upward import in any app, direct or through another module, and by a planted circle.

What no contract can say is checked here by hand: every task a service enqueues by name exists.
"""

import ast
import configparser
import copy
import re
from pathlib import Path

import grimp
import pytest

from tests.architecture import module_cycles, parse_layers, place, upward_imports

ROOT = Path(__file__).resolve().parent.parent


def _config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.strip().splitlines() if line.strip()]


CONFIG = _config()
ROOTS = _lines(CONFIG["importlinter"]["root_packages"])
LAYERS = parse_layers(_lines(CONFIG["importlinter:contract:layers"]["layers"]))


@pytest.fixture(scope="module")
def graph():
    built = grimp.build_graph(*ROOTS)
    for module in [m for m in built.modules if ".migrations" in m]:
        built.remove_module(module)
    return built


def _planted(graph, *imports: tuple[str, str]):
    planted = copy.deepcopy(graph)
    for importer, imported in imports:
        planted.add_import(importer=importer, imported=imported, line_number=1,
                           line_contents=f"import {imported}")
    return planted


def test_the_code_keeps_the_layers(graph):
    broken, unplaced = upward_imports(graph, LAYERS, ROOTS)
    assert broken == []
    assert unplaced == []


def test_no_circle_between_files(graph):
    assert module_cycles(graph, ROOTS) == []


def test_every_module_has_its_expected_layer():
    expected = {
        "config.urls": "config.urls",
        "statuses.mastodon.views": "*.mastodon",
        "accounts.selfcommunity.serializers": "*.selfcommunity",
        "statuses.pages.views": "*.pages",
        "statuses.admin": "*.admin",
        "statuses.management.commands.seed": "*.management",
        "accounts.oauth_views": "*.oauth_views",
        "config.api.auth": "config.api",
        "moderation.services": "moderation",
        "instance_extras.services": "instance_extras",
        "instance_extras.mastodon.nodeinfo": "*.mastodon",
        "statuses.services.posting": "statuses",
        "media.services": "media",
        "categories.models": "categories",
        "accounts.models": "accounts",
        "config.db": "config",
    }
    assert {module: place(module, LAYERS).expression for module in expected} == expected


PLANTS = {
    # Each app's domain importing a face of its own.
    "statuses domain -> its face": [("statuses.services.posting", "statuses.mastodon.views")],
    "accounts domain -> its face": [("accounts.services", "accounts.mastodon.views")],
    "media domain -> its face": [("media.services", "media.selfcommunity.views")],
    "categories domain -> its face": [("categories.services", "categories.selfcommunity.views")],
    "moderation domain -> its face": [("moderation.services", "moderation.selfcommunity.views")],
    "instance_extras domain -> its face": [("instance_extras.services",
                                            "instance_extras.mastodon.views")],
    # A lower app importing a higher one.
    "accounts -> statuses": [("accounts.models", "statuses.models")],
    "media -> statuses": [("media.services", "statuses.services.posting")],
    "categories -> statuses": [("categories.models", "statuses.models")],
    "statuses -> moderation": [("statuses.selectors", "moderation.selectors")],
    "statuses -> instance_extras": [("statuses.selectors", "instance_extras.selectors")],
    # Independent siblings.
    "media <-> categories": [("media.services", "categories.models")],
    "moderation <-> instance_extras": [("moderation.services", "instance_extras.models")],
    "mastodon <-> selfcommunity": [("statuses.mastodon.views", "statuses.selfcommunity.views")],
    "admin -> a dialect": [("statuses.admin", "statuses.mastodon.serializers")],
    # Config's core under everything; the dialect plumbing under the faces only.
    "config core -> an app": [("config.errors", "accounts.models")],
    "config core -> plumbing": [("config.ratelimit", "config.api.base")],
    "domain -> plumbing": [("statuses.services.posting", "config.api.mastodon")],
    "plumbing -> a face": [("config.api.base", "statuses.mastodon.views")],
    "anything -> the root urls": [("statuses.mastodon.views", "config.urls")],
    # Through another module: the first step is allowed, the second is the break.
    "indirect, accounts -> statuses": [("accounts.services", "accounts.selectors"),
                                       ("accounts.selectors", "statuses.selectors")],
    "indirect, config -> a face": [("config.instance", "config.languages"),
                                   ("config.languages", "accounts.mastodon.serializers")],
}


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_a_planted_upward_import_breaks_the_layers(graph, name):
    planted = PLANTS[name]
    broken, _ = upward_imports(_planted(graph, *planted), LAYERS, ROOTS)
    importer, imported = planted[-1]
    assert [line for line in broken if line.startswith(f"{importer} -> {imported} ")], broken


def test_a_new_module_is_placed_by_its_package(graph):
    planted = copy.deepcopy(graph)
    planted.add_module("statuses.brand_new")
    planted.add_import(importer="statuses.brand_new", imported="statuses.mastodon.views",
                       line_number=3, line_contents="from statuses.mastodon import views")
    broken, unplaced = upward_imports(planted, LAYERS, ROOTS)
    assert unplaced == []
    assert any(line.startswith("statuses.brand_new -> statuses.mastodon.views (l.3)")
               for line in broken)


def test_a_planted_circle_is_found(graph):
    planted = _planted(graph, ("statuses.models", "statuses.services.posting"))
    cycles = module_cycles(planted, ROOTS)
    assert any({"statuses.models", "statuses.services.posting"} <= set(c) for c in cycles)


def test_every_task_enqueued_by_name_exists():
    """Services name their tasks (config/jobs.py) instead of importing them: each name used
    must be a django-tasks Task."""
    from django_tasks.base import Task

    from config import jobs

    used = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        used |= set(re.findall(r'jobs\.task\("([\w.]+)"\)', path.read_text()))
    assert used >= {"statuses.tasks.crawl_status_card", "statuses.tasks.publish_scheduled_status",
                    "media.tasks.process_media"}
    for name in sorted(used):
        assert isinstance(jobs.task(name), Task), name


SERIALIZER_MODULES = sorted(
    path for path in ROOT.glob("*/**/*serializers*.py")
    if ".venv" not in path.parts and "tests" not in path.parts and "node_modules" not in path.parts)


def test_serializer_modules_are_found():
    names = {str(path.relative_to(ROOT)) for path in SERIALIZER_MODULES}
    assert {"statuses/mastodon/serializers.py", "statuses/selfcommunity/serializers.py",
            "statuses/selfcommunity/comment_serializers.py"} <= names


@pytest.mark.parametrize("path", SERIALIZER_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_serializers_neither_query_nor_stash(path):
    """What the `serializers` contract of .importlinter cannot say: a serializer imports no
    database module (django.db, the connection, querysets) and assigns no attribute on an
    object it is given (the rows come in read; the page carries the rest)."""
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not [m for m in imported if m == "django.db" or m.startswith("django.db.")], imported
    stashed = [f"l.{node.lineno}: {ast.unparse(target)}"
               for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AugAssign)
               for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
               if isinstance(target, ast.Attribute) and not (
                   isinstance(target.value, ast.Name) and target.value.id == "self")]
    assert stashed == []
