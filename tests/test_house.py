"""The shape of the house (README "Map of the house", ARCHITECTURE.md), read from the source:
the floors only import downwards, no two modules or packages import each other, no import hides
inside a function to dodge a cycle, no module holds two ideas' worth of lines, the package root
keeps only the factory's own modules, and tests/ mirrors qa_app/."""

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qa_app"

# Lowest first. A module may import its own floor or a lower one, never a higher one.
FLOORS: list[set[str]] = [
    {"config", "models"},
    {"extensions", "rules"},
    {"templates_engine"},
    {"data"},
    {"findings"},
    {"charts"},
    {"documents"},
    {"imports"},
    {"services"},
    {"web"},
    {
        "admin",
        "api",
        "audits",
        "auth",
        "calibration",
        "concerns",
        "cycles",
        "dashboards",
        "improvement",
        "indicators",
        "main",
        "moderation",
        "notifications",
        "practice_weeks",
        "reporting",
        "search",
        "template_library",
    },
    {"cli", "demo"},
    {"factory", "__init__"},
]
FLOOR = {room: level for level, rooms in enumerate(FLOORS) for room in rooms}

# Imports inside a function that are there for a reason other than a cycle.
FUNCTION_IMPORTS_ALLOWED = {
    # The package's __init__ stays light: importing qa_app.rules.uk_time (say) never loads
    # every blueprint; create_app loads them when an app is built.
    ("qa_app", "qa_app.factory"),
}

LINE_LIMIT = 400  # a module over this holds two ideas
ROOT_MODULES = {"__init__", "config", "extensions", "factory"}
# tests/ folders that are suites across the house rather than one room's tests.
TEST_SUITES = {"support", "browser", "bad_input", "faults", "tools"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(module: str, path: Path, node: ast.ImportFrom | ast.Import) -> set[str]:
    """The qa_app modules an import statement loads (the deepest module each name names)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([node.module] if node.module else []))
        names = [f"{base}.{alias.name}" for alias in node.names] + [base]
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    # "from pkg import module" loads pkg.module; "from pkg import name" loads pkg
    return {n for n in found if not any(o.startswith(n + ".") for o in found)} or found


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def import_graph() -> tuple[dict[str, set[str]], list[tuple[str, int, str]]]:
    """Module-level imports between qa_app modules (those under `if TYPE_CHECKING` left out),
    and the imports of qa_app modules made inside functions."""
    edges: dict[str, set[str]] = defaultdict(set)
    inside: list[tuple[str, int, str]] = []
    for module, path in MODULES.items():

        def visit(node: ast.AST, in_function: bool, module=module, path=path) -> None:
            for child in ast.iter_child_nodes(node):
                if _is_type_checking(child):
                    continue
                if isinstance(child, ast.Import | ast.ImportFrom):
                    for target in _resolve(module, path, child):
                        if in_function:
                            inside.append((module, child.lineno, target))
                        else:
                            edges[module].add(target)
                function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                visit(child, in_function or function)

        visit(ast.parse(path.read_text()), False)
    return edges, inside


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def cycles(nodes, edges) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


EDGES, INSIDE = import_graph()


def test_every_room_of_the_house_has_a_floor():
    rooms = {room(m) for m in MODULES}
    assert rooms - set(FLOOR) == set(), "give the new package a floor in FLOORS"
    assert set(FLOOR) - rooms == set(), "a floor names a package that is gone"


def test_no_two_modules_import_each_other_even_through_others():
    assert cycles(sorted(MODULES), EDGES) == []


def test_no_two_packages_import_each_other_even_through_others():
    rooms: dict[str, set[str]] = defaultdict(set)
    for source, targets in EDGES.items():
        for target in targets:
            if room(source) != room(target):
                rooms[room(source)].add(room(target))
    assert cycles(sorted(rooms), rooms) == []


def test_every_import_goes_to_the_same_floor_or_below():
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in EDGES.items()
        for target in targets
        if FLOOR[room(target)] > FLOOR[room(source)]
    )
    assert upward == []


def test_no_import_hides_inside_a_function():
    hidden = sorted(
        f"{module}:{line} imports {target}"
        for module, line, target in INSIDE
        if (module, target) not in FUNCTION_IMPORTS_ALLOWED
    )
    assert hidden == []


def test_the_floors_below_the_pages_never_read_the_request():
    """Nothing below web/ imports Flask's request objects: the data layer, findings, documents
    and services run from the CLI, a job or a test without a request."""
    below_web = FLOOR["web"]
    offenders = []
    for module, path in MODULES.items():
        if FLOOR[room(module)] >= below_web:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask"):
                offenders.append(f"{module} imports {node.module}")
            elif isinstance(node, ast.Import) and any(
                a.name.startswith("flask") for a in node.names
            ):
                offenders.append(f"{module} imports flask")
    # flask_sqlalchemy's db and the login manager are created in qa_app.extensions
    assert [o for o in offenders if not o.startswith("qa_app.extensions ")] == []


def test_no_module_holds_two_ideas():
    long = sorted(
        f"{module}: {lines} lines"
        for module, path in MODULES.items()
        if (lines := len(path.read_text().splitlines())) > LINE_LIMIT
    )
    assert long == []


def test_the_package_root_keeps_only_the_factory_and_its_settings():
    loose = {p.stem for p in PACKAGE.glob("*.py")} - ROOT_MODULES
    assert loose == set(), "give each module a room (README: Map of the house)"


def test_tests_mirror_the_package():
    rooms = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders - rooms - TEST_SUITES == set(), "a tests/ folder that names no package"
    loose = {p.name for p in (ROOT / "tests").glob("*.py")}
    assert loose <= {
        "__init__.py",
        "conftest.py",
        "helpers.py",
        "test_factory.py",
        "test_house.py",
        "test_sqlite.py",
    }


def test_the_graph_reader_sees_what_python_imports():
    """The checks above are only as good as the reader: it must see the factory load every
    blueprint and a data module load its models."""
    assert "qa_app.auth.routes" in EDGES["qa_app.factory"]
    assert "qa_app.models" in EDGES["qa_app.data.users"] or any(
        t.startswith("qa_app.models") for t in EDGES["qa_app.data.users"]
    )
    assert cycles(["a", "b", "c"], {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]


# The council's clock: "today" is the UK's day (rules/uk_time.uk_today), and a stored moment
# becomes a day in UK time (to_uk(moment).date()), never the server's own calendar or UTC's.
SERVER_CALENDAR = re.compile(
    r"\bdate\.today\(\)|\bdatetime\.(?:now|today)\(\)|\butcnow\(\)\.date\(\)"
    r"|now\(UTC\)\.date\(\)|\b(?!to_uk\()\w+_at\.date\(\)"
)


def test_today_is_the_uk_day_not_the_servers():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in MODULES.values()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SERVER_CALENDAR.search(line)
    ]
    assert not found, "use uk_today() or to_uk(moment).date():\n" + "\n".join(found)
