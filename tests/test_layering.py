"""The layering rules of DESIGN.md, checked on the source text (no imports run).

- `scrapers/` is pure: it never imports `service/`.
- No import cycles between our modules, counting imports inside functions too (a local import
  that hides a cycle still couples the two); only `if TYPE_CHECKING:` blocks are left out.
- Request/response bodies (pydantic models) of the service live in `schemas.py` files.
- Route modules (they define an `APIRouter`) hold no SQL: repositories and read models do.
- Only the application factory wires the dashboard in; nothing else imports it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scrapers", "service")
SQL_NAMES = {"select", "insert", "update", "delete", "func", "text", "or_", "and_", "case", "exists"}
SQL_CALLS = {"execute", "exec", "scalars", "scalar", "query"}


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    imports: set[str] = field(default_factory=set)  # outside `if TYPE_CHECKING:` blocks
    all_imports: set[str] = field(default_factory=set)  # anywhere in the file


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join(package + ([base] if base else []))
    # `from pkg import name` may name a submodule; both spellings are recorded, the graph keeps
    # only those that are modules of ours.
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _load() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = _module_name(path)
            mod = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
            is_package = path.name == "__init__.py"
            for node in ast.walk(mod.tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    mod.all_imports.update(_imported(node, name, is_package))
            for node in mod.tree.body:
                if _is_type_checking(node):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        mod.imports.update(_imported(inner, name, is_package))
            modules[name] = mod
    return modules


MODULES = _load()


def _ours(names: set[str]) -> set[str]:
    return {n for n in names if n in MODULES}


def test_the_rules_see_the_whole_tree():
    assert len(MODULES) > 100 and "service.main" in MODULES and "scrapers.registry" in MODULES


def test_scrapers_never_import_the_service():
    offenders = {m.name: sorted(n for n in m.all_imports if n == "service" or n.startswith("service."))
                 for m in MODULES.values() if m.name.startswith("scrapers")}
    assert {k: v for k, v in offenders.items() if v} == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _graph(attribute: str) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for mod in MODULES.values():
        # a package's __init__ importing its own submodules is how packages re-export: not an edge back
        graph[mod.name] = {n for n in _ours(getattr(mod, attribute)) if n != mod.name}
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    return graph


def test_no_import_cycles():
    assert _cycles(_graph("imports")) == []


def test_cycle_finder_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _classes(mod: Module) -> list[ast.ClassDef]:
    return [n for n in mod.tree.body if isinstance(n, ast.ClassDef)]


def _is_body_model(cls: ast.ClassDef) -> bool:
    bases = {ast.unparse(b) for b in cls.bases}
    return bool(bases & {"BaseModel", "pydantic.BaseModel"}) or any(
        b.endswith(("Out", "In")) and not b.startswith("SQLModel") for b in bases)


def test_request_and_response_bodies_live_in_schemas_files():
    offenders = [f"{m.name}.{c.name}" for m in MODULES.values() if m.name.startswith("service.")
                 and m.path.name != "schemas.py" for c in _classes(m) if _is_body_model(c)]
    assert offenders == []


def _is_route_module(mod: Module) -> bool:
    return any(isinstance(n, ast.Assign) and "APIRouter(" in ast.unparse(n.value) for n in mod.tree.body)


def _sql_in(mod: Module) -> list[str]:
    found = []
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"sqlalchemy", "sqlmodel"}:
            found += [f"imports {a.name}" for a in node.names if a.name in SQL_NAMES]
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS | {"get"} and ast.unparse(node.func.value).endswith("session")):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}")
    return found


def test_route_modules_hold_no_sql():
    routes = [m for m in MODULES.values() if _is_route_module(m)]
    assert len(routes) >= 10
    offenders = {m.name: _sql_in(m) for m in routes}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_the_app_factory_wires_in_the_dashboard():
    offenders = [m.name for m in MODULES.values()
                 if not m.name.startswith("service.dashboard") and m.name != "service.main"
                 and any(n == "service.dashboard" or n.startswith("service.dashboard.") for n in m.all_imports)]
    assert offenders == []
