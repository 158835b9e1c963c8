"""Lint never crashes, whatever is changed in a valid questionnaire."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcdiag.lint.problems import RULES
from svcdiag.lint.runner import lint_paths
from svcdiag.serialise import to_yaml
from svcdiag.source.resources import shipped_dir
from svcdiag.source.yamlsource import load_file, walk_paths

BASE = load_file(shipped_dir() / "diagnostic.yaml").data
PATHS = [p for p in walk_paths(BASE) if p]
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["id", "question", "equals", "x"]), st.integers(), max_size=2),
)


def _set(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> None:
    """Replace or delete the node at ``path``; do nothing if an earlier edit removed it."""
    node = data
    for part in path[:-1]:
        if not isinstance(node, (dict, list)) or part not in (
            node if isinstance(node, dict) else range(len(node))
        ):
            return
        node = node[part]
    last = path[-1]
    if isinstance(node, dict) or (
        isinstance(node, list) and isinstance(last, int) and last < len(node)
    ):
        if delete:
            if isinstance(node, list) or last in node:
                del node[last]
        else:
            node[last] = value


@given(st.lists(st.tuples(st.sampled_from(PATHS), junk, st.booleans()), min_size=1, max_size=4))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_mutated_questionnaire_gives_located_problems(
    tmp_path: Path, edits: list[tuple[tuple[Any, ...], Any, bool]]
) -> None:
    data = copy.deepcopy(BASE)
    for path, value, delete in edits:
        _set(data, path, value, delete)
    target = tmp_path / "mutated.yaml"
    target.write_text(to_yaml(data))
    report = lint_paths([target])
    lines = target.read_text().count("\n") + 1
    for problem in report.problems:
        assert problem.code in RULES
        assert 1 <= problem.line <= lines
        assert problem.message
