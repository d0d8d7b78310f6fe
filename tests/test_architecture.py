"""The package's shape: imports follow the data flow, the domain core stands alone, and
no module outside the core's loader names a force.

Why a test: the flow (read -> extract -> geocode -> store -> control -> maps / exports,
with the CLI on top and the domain core underneath) is what lets a newcomer find a step by
its name and change it without touching the others. An import against the flow or a
cycle is how that erodes, one convenient import at a time.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from geo.core.forces import default_forces

PACKAGE = Path(__file__).resolve().parent.parent / "geo"

#: Layers in the order of the data flow; a module may import its own layer and those
#: before it, never one after it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("geo.core",)),
    ("read", ("geo.read",)),
    ("extract", ("geo.extract",)),
    ("geocode", ("geo.geocode",)),
    ("store", ("geo.store",)),
    ("control", ("geo.control",)),
    ("pipeline", ("geo.enrich", "geo.ingest", "geo.imports", "geo.review")),
    ("maps", ("geo.maps",)),
    ("exports", ("geo.exports",)),
    ("interface", ("geo.cli", "geo.commands", "geo.display", "geo.__main__")),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer_of(module: str) -> int | None:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def imports_of(module: str) -> set[str]:
    """Modules of the package that ``module`` imports, at module level or inside a
    function (a lazy import is still a dependency)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("geo"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "geo":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return {m for m in found if m in MODULES and m != module}


GRAPH: dict[str, set[str]] = {m: imports_of(m) for m in MODULES}


def test_every_module_has_a_layer() -> None:
    """A new top-level module must be placed in the flow (add it to LAYERS)."""
    unplaced = sorted(m for m in MODULES if m != "geo" and layer_of(m) is None)
    assert unplaced == []


def test_no_import_against_the_flow() -> None:
    wrong = []
    for module, deps in GRAPH.items():
        here = layer_of(module)
        if here is None:
            continue
        for dep in deps:
            there = layer_of(dep)
            if there is not None and there > here:
                wrong.append(f"{module} ({LAYERS[here][0]}) imports {dep} ({LAYERS[there][0]})")
    assert sorted(wrong) == []


def test_no_import_cycle() -> None:
    """Depth-first search for a back edge; the message shows the cycle."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(GRAPH[module]):
            if state.get(dep) == 1:
                cycles.append(" -> ".join(stack[stack.index(dep):] + [dep]))
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_core_imports_only_the_core() -> None:
    outside = {f"{m} -> {d}" for m, deps in GRAPH.items() if m.startswith("geo.core")
               for d in deps if not d.startswith("geo.core")}
    assert outside == set()


def test_geo_never_imports_streamlit() -> None:
    offenders = [m for m, p in MODULES.items()
                 if re.search(r"^\s*(?:import|from)\s+streamlit\b", p.read_text(encoding="utf-8"),
                              re.M)]
    assert offenders == []


def _string_literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef,
                                    ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    return {n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docstrings}


def test_no_force_id_is_hard_coded_outside_the_force_table() -> None:
    """Which force is a state force, governs a country or is allied with another is a
    column of data/forces.csv; code that names a force id duplicates it."""
    ids = {f.force_id for f in default_forces().forces.values()}
    found = sorted(f"{m}: {s!r}" for m, p in MODULES.items() if not m.startswith("geo.core")
                   for s in _string_literals(p) if s in ids)
    assert found == []


def test_one_distance_function() -> None:
    """haversine_km is defined once (geo.core.theatre), with one earth radius."""
    defining = sorted(m for m, p in MODULES.items()
                      if re.search(r"def (?:_?haversine\w*|\w*great_circle\w*)\(",
                                   p.read_text(encoding="utf-8")))
    radii = sorted(m for m, p in MODULES.items() if m != "geo.core.theatre"
                   and re.search(r"\b637[0-9](?:\.\d+)?\b", p.read_text(encoding="utf-8")))
    assert (defining, radii) == (["geo.core.theatre"], [])


def test_a_pmf_capture_is_coded_alike_extracted_and_curated(tmp_path: Path) -> None:
    """One answer to "is the PMF a government force": the force table's. A retaking by
    the PMF is "Government regains territory" whether a sentence or a curated row says it."""
    from datetime import date

    from geo.control.curated import load_curated_timeline
    from geo.core.records import Article
    from geo.extract.pipeline import extract_article
    from geo.geocode.gazetteer import default_gazetteer

    article = Article(text="The Popular Mobilization Forces recaptured Baiji on Tuesday, "
                           "a spokesman said.", published=date(2015, 10, 16))
    extracted = extract_article(article, default_gazetteer(), default_forces()).events
    assert [(e.actor1_force, e.sub_event_type) for e in extracted] == \
        [("PMF", "Government regains territory")]

    timeline = tmp_path / "control_timeline.csv"
    bundled = (PACKAGE.parent / "data" / "control_timeline.csv").read_text(encoding="utf-8")
    header = bundled.splitlines()[0]
    columns = header.split(",")
    row = dict.fromkeys(columns, "")
    row.update(row_id="T1", date="2015-10-13", time_precision="1", place="Baiji",
               latitude="34.93", longitude="43.49", country="IQ", admin1="Salahuddin",
               force_to="PMF", force_from="IS", status="captured",
               citation_publication="Test", citation_date="2015-10-16",
               citation_title="A test row",
               citation_url="https://example.org/")
    timeline.write_text(header + "\n" + ",".join(row[c] for c in columns) + "\n",
                        encoding="utf-8")
    curated = load_curated_timeline(timeline)
    assert [e.sub_event_type for e in curated] == [extracted[0].sub_event_type]
