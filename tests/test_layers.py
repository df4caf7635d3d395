"""The toolkit's layers, declared once: each module imports only from its own layer or those below it, and no
modules import each other in a circle. ``docs/architecture.md`` draws the same layers in the same order.

Every import counts, also one inside a function or under ``TYPE_CHECKING``: a late import hides a dependency,
it does not remove it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLKIT = ROOT / "toolkit"

# Bottom first. A name is a folder (package) or a module at toolkit's root.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__init__",),  # the version
    ("core",),  # errors, messages, text and values, settings of a run: imports nothing of the toolkit above it
    ("workbook",),  # the workbook's declared layout, its binding and validation into a Campaign
    ("documents",),  # the two documents, laid out as Decree 30 says
    ("output",),  # atomic writes, history, PDF
    ("authoring",),  # workbooks and Google Sheets laid out for people to fill
    ("sources",),  # reading a source into a RawWorkbook
    ("signing",),  # digital signatures on the PDFs
    ("delivery",),  # the e-mail to the receiving office
    ("pipeline",),  # the everyday job: check, generate, export_pdf, deliver
    ("rollup",),  # the receiving office's roll-up
    ("ui",),  # the page in the browser
    ("cli", "__main__"),  # the command line
)
LAYER = {name: n for n, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    """``toolkit.sources.google`` for ``toolkit/sources/google.py`` (a package by its ``__init__``)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every toolkit module ``path`` imports, anywhere in the file, as a dotted name."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "toolkit"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "toolkit":
                continue
            # ``from . import x`` imports the module x when there is one
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
    return found - {name}


MODULES = {module_name(p): p for p in TOOLKIT.rglob("*.py")}
GRAPH = {name: imports(path) for name, path in MODULES.items()}


def layer(module: str) -> int:
    """The layer of a dotted module name (by its first part below ``toolkit``)."""
    parts = module.split(".")
    return LAYER[parts[1] if len(parts) > 1 else "__init__"]


def test_every_part_of_the_toolkit_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in TOOLKIT.iterdir() if p.suffix == ".py" or p.is_dir()}
    parts = {p for p in parts if not p.startswith(("_", ".")) or p in ("__init__", "__main__")}
    parts -= {"data", "locale", "__pycache__"}
    assert sorted(parts - LAYER.keys()) == []


def test_no_module_imports_from_a_layer_above_it() -> None:
    upward = [
        f"{source} -> {target}"
        for source, targets in GRAPH.items()
        for target in targets
        if layer(target) > layer(source)
    ]
    assert upward == []


def test_core_imports_nothing_of_the_toolkit_above_it() -> None:
    core = {m: {t for t in ts if not t.startswith("toolkit.core")} for m, ts in GRAPH.items() if layer(m) == 1}
    assert {m: ts for m, ts in core.items() if ts} == {}


def test_no_modules_import_each_other_in_a_circle() -> None:
    """Tarjan's strongly connected components: any with more than one module is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in GRAPH:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert circles == []


def test_the_architecture_page_draws_the_same_layers_in_the_same_order() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    drawn = re.findall(r"^\| *\d+ *\| *`toolkit/([\w.]+?)/?`", section, flags=re.MULTILINE)
    declared = [names[0].removesuffix(".py") for names in LAYERS[1:]]
    assert [d.removesuffix(".py") for d in drawn] == declared


def test_the_graph_sees_imports_at_the_top_inside_functions_and_from_a_package() -> None:
    assert {"toolkit.core.config", "toolkit.sources", "toolkit.workbook.validate"} <= GRAPH["toolkit.pipeline"]
    assert "toolkit.sources.snapshots" in GRAPH["toolkit.sources.reading"]  # ``from . import …, snapshots``
    assert "toolkit.sources.google" in GRAPH["toolkit.sources.reading"]  # inside a function
    assert layer("toolkit.cli") > layer("toolkit.pipeline") > layer("toolkit.sources") > layer("toolkit.core.errors")


def test_the_architecture_page_names_every_module() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = [p for p in TOOLKIT.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert sorted(str(p.relative_to(TOOLKIT)) for p in modules if f"`{p.name}`" not in text) == []
