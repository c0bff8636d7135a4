"""The tool's package imports like its data flow: no module imports another that imports it back,
and every import stands at the top of its module, so a reader sees a module's dependencies there."""
import ast
import os

from conftest import TOOLS

PACKAGE = os.path.join(TOOLS, "nanornn")


def parsed():
    for name in sorted(os.listdir(PACKAGE)):
        if name.endswith(".py"):
            with open(os.path.join(PACKAGE, name), encoding="utf-8") as f:
                yield name[:-3], ast.parse(f.read(), name)


def package_imports(tree):
    """The package modules a module imports at its top level."""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [alias.name for alias in node.names])
    return found


def test_no_import_inside_a_function():
    nested = [f"{module}.py:{node.lineno}" for module, tree in parsed() for top in tree.body
              if isinstance(top, (ast.FunctionDef, ast.ClassDef))
              for node in ast.walk(top) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert not nested, f"imports inside functions: {', '.join(nested)}"


def test_no_import_cycle():
    graph = {module: package_imports(tree) for module, tree in parsed()}
    done, path = set(), []

    def visit(module):
        assert module not in path, "import cycle: " + " -> ".join(path[path.index(module):] + [module])
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            visit(imported)
        path.pop()
        done.add(module)
    for module in graph:
        visit(module)
