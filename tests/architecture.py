"""Import-linter contract types for the layers of DESIGN.md (declared in `.importlinter`).

`duostatus_layers`: each module of the root packages belongs to the layer of the most specific
expression that names it or one of its packages (`*.mastodon` is more specific than `statuses`,
`config.api` than `config`); every module must belong to one (a new module is covered by its
package's layer without being listed). A module may import its own layer's modules and any lower
layer's, never a higher layer's, and never a sibling expression's of its layer (`|` separates
independent siblings: the two dialects, media and categories). Checking every direct import
covers the indirect ones: any chain from a low module to a higher one contains an upward step.

`acyclic_modules`: no circle of imports between files (Tarjan's strongly connected components
over the module graph), whatever their packages.

Both count imports anywhere in a file, inside functions too (grimp's graph). Relations named by
string (`"statuses.Status"`, `include("statuses.mastodon.urls")`, a task enqueued by its path)
are not imports.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


@dataclass(frozen=True)
class Placement:
    rank: int  # 0 is the highest layer
    expression: str


def _matches(module: str, expression: str) -> bool:
    """Whether `module` is the module an expression names or inside it; `*` matches one part."""
    parts, pattern = module.split("."), expression.split(".")
    return len(parts) >= len(pattern) and all(
        fnmatch.fnmatchcase(part, want) for part, want in zip(parts, pattern, strict=False))


def place(module: str, layers: list[list[str]]) -> Placement | None:
    """The layer of the most specific expression naming `module` (ties: the higher layer)."""
    best: tuple[int, int, str] | None = None
    for rank, siblings in enumerate(layers):
        for expression in siblings:
            if _matches(module, expression):
                specificity = len(expression.split("."))
                if best is None or specificity > best[0]:
                    best = (specificity, rank, expression)
    return None if best is None else Placement(best[1], best[2])


def parse_layers(raw: list[str]) -> list[list[str]]:
    return [[expression.strip() for expression in line.split("|") if expression.strip()]
            for line in raw]


def upward_imports(graph: ImportGraph, layers: list[list[str]], roots: list[str]
                   ) -> tuple[list[str], list[str]]:
    """(broken imports, modules no layer names) of the graph."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in roots)
    placement = {m: place(m, layers) for m in modules}
    unplaced = [m for m in modules if placement[m] is None]
    broken = []
    for importer in modules:
        low = placement[importer]
        if low is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            high = placement.get(imported)
            if high is None:
                continue
            if high.rank < low.rank:
                why = f"layer {low.rank + 1} ({low.expression}) imports layer {high.rank + 1}"
            elif high.rank == low.rank and high.expression != low.expression:
                why = f"independent siblings {low.expression} and {high.expression}"
            else:
                continue
            lines = graph.get_import_details(importer=importer, imported=imported)
            where = ", ".join(f"l.{d['line_number']}" for d in lines) or "?"
            broken.append(f"{importer} -> {imported} ({where}): {why} ({high.expression})")
    return broken, unplaced


def module_cycles(graph: ImportGraph, roots: list[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (each a circle of imports)."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in roots)
    edges = {m: sorted(i for i in graph.find_modules_directly_imported_by(m)
                       if i.split(".")[0] in roots) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(modules) + 100))

    def visit(module: str) -> None:
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for other in edges.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    try:
        for module in modules:
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


class RankedLayersContract(Contract):
    type_name = "duostatus_layers"

    layers = fields.ListField(subfield=fields.StringField())
    ignore_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def _roots(self) -> list[str]:
        return list(self.session_options["root_packages"])

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        for pattern in self.ignore_modules or []:  # type: ignore[union-attr]
            for module in [m for m in graph.modules if _matches(m, pattern)]:
                graph.remove_module(module)
        broken, unplaced = upward_imports(graph, parse_layers(self.layers), self._roots())
        return ContractCheck(kept=not broken and not unplaced,
                             metadata={"broken": broken, "unplaced": unplaced})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["broken"]:
            output.print_error(line, bold=False)
        for module in check.metadata["unplaced"]:
            output.print_error(f"{module} is in no layer", bold=False)
        output.new_line()


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    ignore_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        for pattern in self.ignore_modules or []:  # type: ignore[union-attr]
            for module in [m for m in graph.modules if _matches(m, pattern)]:
                graph.remove_module(module)
        cycles = module_cycles(graph, list(self.session_options["root_packages"]))
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("circle: " + " <-> ".join(cycle), bold=False)
        output.new_line()
