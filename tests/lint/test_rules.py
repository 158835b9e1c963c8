"""Every lint rule, on a broken file, reports the exact line, column and code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from svcdiag.lint.problems import RULES, Severity
from svcdiag.lint.runner import lint_paths

HEAD = """\
schema_version: 1
id: t
version: "1"
title: T
sections:
"""

# (name, file name, file text, expected (line, col, code) problems of interest)
CASES: list[tuple[str, str, str, set[tuple[int, int, str]]]] = [
    ("binary", "q.yaml", "a: 1\n\x00\x01", {(2, 1, "SD100")}),
    ("latin1", "q.yaml", "a: 1\ntitle: caf\xe9\n", {(2, 11, "SD100")}),
    ("syntax", "q.yaml", "a: [1,\nb: 2\n", {(3, 1, "SD101")}),
    (
        "duplicate key",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    title: T\n    questions:\n"
        "      - {id: a, text: A, type: text}\n",
        {(8, 5, "SD102")},
    ),
    ("empty", "q.yaml", "", {(1, 1, "SD103")}),
    ("comments only", "q.yaml", "# nothing\n", {(1, 1, "SD103")}),
    ("top-level list", "q.yaml", "- 1\n- 2\n", {(1, 1, "SD103")}),
    ("custom tag", "q.yaml", "a: !!python/object:os.system x\n", {(1, 4, "SD104")}),
    ("merge key", "q.yaml", "a: &x {b: 1}\nc:\n  <<: *x\n", {(3, 3, "SD104")}),
    (
        "unknown key",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: text\n        hepl: typo\n",
        {(12, 9, "SD200")},
    ),
    (
        "missing key",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n      - id: a\n        type: text\n",
        {(9, 9, "SD201")},
    ),
    (
        "wrong type",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: essay\n",
        {(11, 15, "SD202")},
    ),
    (
        "duplicate section",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions: [{id: a, text: A, type: text}]\n"
        "  - id: s\n    title: S2\n    questions: [{id: b, text: B, type: text}]\n",
        {(9, 9, "SD300")},
    ),
    (
        "duplicate question",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - {id: a, text: A, type: text}\n      - {id: a, text: B, type: text}\n",
        {(10, 14, "SD301")},
    ),
    (
        "duplicate option",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: choice\n        options:\n"
        "          - {id: x, label: X}\n          - {id: x, label: Y}\n",
        {(14, 18, "SD302")},
    ),
    (
        "duplicate factor",
        "factors.yaml",
        "schema_version: 1\nfactors:\n"
        "  - {id: f, title: F, kind: system, gilbert: information}\n"
        "  - {id: f, title: G, kind: system, gilbert: incentives}\n",
        {(4, 10, "SD303")},
    ),
    (
        "empty section",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions: []\n"
        "  - id: t\n    title: T\n    questions: [{id: a, text: A, type: text}]\n",
        {(8, 5, "SD304")},
    ),
    (
        "options on likert",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: likert\n"
        "        options: [{id: x, label: X}]\n",
        {(12, 9, "SD310")},
    ),
    (
        "choice without options",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: choice\n",
        {(11, 9, "SD311")},
    ),
    (
        "evidence on text",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: text\n"
        "        evidence: [{factor: goal_clarity}]\n",
        {(12, 9, "SD312")},
    ),
    (
        "bad default",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: likert\n        default: 7\n",
        {(12, 18, "SD313")},
    ),
    (
        "fractional default of a count",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: number\n        integer: true\n"
        "        min: 1\n        max: 9\n        default: 2.5\n",
        {(15, 18, "SD313")},
    ),
    (
        "empty number range",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: number\n        min: 10\n        max: 1\n",
        {(12, 9, "SD314")},
    ),
    (
        "when unknown question",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - {id: a, text: A, type: yes_no}\n"
        "      - id: b\n        text: B\n        type: text\n"
        "        when: {question: zz, equals: true}\n",
        {(13, 26, "SD320")},
    ),
    (
        "when later question",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: text\n"
        "        when: {question: b, equals: true}\n"
        "      - {id: b, text: B, type: yes_no}\n",
        {(12, 26, "SD321")},
    ),
    (
        "when cycle on itself",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: yes_no\n"
        "        when: {not: {question: a, equals: true}}\n",
        {(12, 32, "SD321")},
    ),
    (
        "when impossible value",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - {id: a, text: A, type: scale}\n"
        "      - id: b\n        text: B\n        type: text\n"
        "        when:\n          any:\n            - {question: a, at_least: 11}\n",
        {(15, 39, "SD322")},
    ),
    (
        "unknown factor",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: likert\n"
        "        evidence:\n          - factor: goal_clearness\n",
        {(13, 21, "SD330")},
    ),
    (
        "unknown characteristic",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: choice\n        options:\n"
        "          - id: x\n            label: X\n            evidence:\n"
        "              - {characteristic: top_impetus, value: 1}\n",
        {(16, 34, "SD331")},
    ),
    (
        "intervention unknown factor",
        "interventions.yaml",
        "schema_version: 1\ninterventions:\n  - id: i\n    title: I\n"
        "    factors: [goal_clarity, nonsense]\n    stage: expectations\n"
        "    level: board\n    effort: low\n"
        "    description: D\n",
        {(5, 29, "SD332")},
    ),
    (
        "characteristic not covered",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: likert\n"
        "        evidence: [{characteristic: top_level_impetus}]\n",
        {(5, 1, "SD340")},
    ),
    (
        "factor not covered",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n      - {id: a, text: A, type: likert}\n",
        {(5, 1, "SD341")},
    ),
    (
        "triage without routes",
        "q.yaml",
        HEAD.replace("title: T\n", "title: T\nkind: triage\n")
        + "  - id: s\n    title: S\n    questions:\n      - {id: a, text: A, type: text}\n",
        {(5, 1, "SD342")},
    ),
    (
        "two scope questions",
        "q.yaml",
        HEAD + "  - id: s\n    title: S\n    questions:\n"
        "      - id: a\n        text: A\n        type: choice\n"
        "        options: [{id: x, label: X, scope: widespread}]\n"
        "      - id: b\n        text: B\n        type: choice\n"
        "        options: [{id: y, label: Y, scope: none}]\n",
        {(5, 1, "SD343")},
    ),
]


def _lint(tmp_path: Path, name: str, text: str) -> set[tuple[int, int, str]]:
    path = tmp_path / name
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode())
    report = lint_paths([path])
    return {(p.line, p.col, p.code) for p in report.problems}


@pytest.mark.parametrize(("name", "filename", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_reports_exact_place(
    tmp_path: Path, name: str, filename: str, text: str, expected: set[tuple[int, int, str]]
) -> None:
    found = _lint(tmp_path, filename, text)
    assert expected <= found, f"{name}: expected {expected}, got {sorted(found)}"
    expected_codes = {code for _, _, code in expected}
    # no other *errors* than the ones the case is about
    other_errors = {
        f for f in found if f[2] not in expected_codes and RULES[f[2]].severity is Severity.error
    }
    assert not other_errors, f"{name}: unexpected errors {sorted(other_errors)}"


def test_every_rule_has_a_case() -> None:
    covered = {code for *_, expected in CASES for _, _, code in expected}
    assert covered == set(RULES)


def test_all_problems_reported_in_one_run(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """\
          - id: s
            title: S
            questions:
              - {id: a, text: A, type: likert, options: [{id: x, label: X}]}
              - {id: a, text: B, type: text, colour: red}
              - {id: c, text: C, type: text, when: {question: nope, answered: true}}
        """
    )
    codes = sorted(code for _, _, code in _lint(tmp_path, "q.yaml", text))
    assert [c for c in codes if RULES[c].severity is Severity.error] == [
        "SD200",
        "SD301",
        "SD310",
        "SD320",
    ]
