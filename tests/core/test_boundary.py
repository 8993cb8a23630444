"""The core is a library: it must not import a web framework, an ORM or an HTTP client."""

import ast
from collections.abc import Iterator
from pathlib import Path

import badgeforge.core

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "httpx", "uvicorn", "requests")
CORE_DIR = Path(badgeforge.core.__file__).parent


def imported_modules(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_imports_no_framework() -> None:
    paths = list(CORE_DIR.rglob("*.py"))
    assert len(paths) >= 5
    for path in paths:
        for module in imported_modules(ast.parse(path.read_text())):
            assert not module.startswith(FORBIDDEN), f"{path.name} imports {module}"
            if module.startswith("badgeforge"):
                assert module.startswith("badgeforge.core"), f"{path.name} imports {module}"
