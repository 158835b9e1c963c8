"""CSV, JSON, YAML and the terminal view of a funnel analysis whose units stayed in the engine.

A file of many units is analysed without a result per unit
(:mod:`svcdiag.stats.unit_table`). These writers give, a chunk at a time,
exactly the text :mod:`.csv_stats`, :func:`svcdiag.serialise.to_json` and
:func:`svcdiag.serialise.to_yaml` give for the whole result: everything
after a unit's name is formatted once per distinct (events, cases) in
Python, by those same functions. The engine writes each name, escaped for
CSV or JSON by SQL that follows the same rules (tests compare both on random
text); YAML's rules for a name are PyYAML's, applied in Python. The
terminal view (:func:`view_of`) needs only a few units by name: the
engine picks them.

Characters are named in the SQL by their code (``chr(34)``) and constant text
is a quoted literal, so no name can change the query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from svcdiag.models.results import Status, UnitResult, VariationResult
from svcdiag.render.csv_stats import QUOTED_CHARACTERS, UNIT_COLUMNS, unit_tail
from svcdiag.render.stats_formats import OutputFormat
from svcdiag.serialise import first_field_yaml, to_json, to_yaml
from svcdiag.stats.analysis import KeptVariation
from svcdiag.stats.engine import sql_string
from svcdiag.textsafe import FORMULA_START, CsvWriter

if TYPE_CHECKING:
    from svcdiag.render.rich_stats import VariationTally

#: How JSON writes a control character, where it has a short form.
_SHORT_ESCAPES = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Indent of a unit's object in the list of units (the document is indented by 2).
_UNIT_INDENT = " " * 4


def csv_name_sql(column: str) -> str:
    """SQL writing the unit name in ``column`` as the CSV of units does.

    A name a spreadsheet would run as a formula gets a leading single quote
    (:func:`~svcdiag.textsafe.for_csv`); one holding a character csv.writer
    quotes is quoted, its quotes doubled.
    """
    starts = " OR ".join(f"starts_with({column}, chr({ord(c)}))" for c in FORMULA_START)
    guarded = f"(CASE WHEN {starts} THEN chr(39) || {column} ELSE {column} END)"
    holds = " OR ".join(f"contains({guarded}, chr({ord(c)}))" for c in QUOTED_CHARACTERS)
    quoted = f"chr(34) || replace({guarded}, chr(34), chr(34) || chr(34)) || chr(34)"
    return f"(CASE WHEN {holds} THEN {quoted} ELSE {guarded} END)"


def json_name_sql(column: str) -> str:
    r"""SQL writing the unit name in ``column`` as a JSON string, as pydantic-core does.

    Backslash, quote and the control characters are escaped (``\n``,
    ``\u001b``); everything else, non-ASCII text included, is written as it
    is. Names never hold NUL (the checks refuse them).
    """
    backslashes = f"replace({column}, chr(92), chr(92) || chr(92))"
    escaped = f"replace({backslashes}, chr(34), chr(92) || chr(34))"
    for code in range(1, 32):
        char = chr(code)
        escape = _SHORT_ESCAPES.get(char, f"\\u{code:04x}")
        escaped = f"replace({escaped}, chr({code}), {sql_string(escape)})"
    special = " OR ".join(f"contains({column}, chr({code}))" for code in (34, 92, *range(1, 32)))
    return f"(chr(34) || (CASE WHEN {special} THEN {escaped} ELSE {column} END) || chr(34))"


def units_csv(kept: KeptVariation) -> Iterator[str]:
    """The CSV of the units (as :func:`.csv_stats.write` writes it), a chunk at a time."""
    columns = UNIT_COLUMNS[1:]
    texts = {
        pair: unit_tail(tuple(values[name] for name in columns))
        for pair, values in kept.fit.values.items()
    }
    lines = kept.table.lines(csv_name_sql, texts)
    yield _csv_line(UNIT_COLUMNS) + next(lines)  # nothing is written if the engine fails
    yield from lines


def units_json(kept: KeptVariation) -> Iterator[str]:
    """The JSON of the whole result (as :func:`~svcdiag.serialise.to_json`), a chunk at a time.

    The result is dumped once with a unit per distinct pair, each named ""
    (as quick as the usual dump when most units have pairs of their own),
    and cut into the text before the units, each pair's text and the text
    after them. Inside a unit every line is indented further than the list,
    so the cuts are unambiguous.
    """
    pairs = list(kept.fit.values.items())
    units = [UnitResult.computed(values, "") for _, values in pairs]
    whole = to_json(kept.summary.model_copy(update={"units": units}))
    before, rest = whole.split('"units": [\n', 1)
    listed, after = rest.split("\n  ]", 1)
    heads, texts = set(), {}
    opening = _UNIT_INDENT + "{"
    written = listed.split(",\n" + opening)
    for index, ((pair, _), unit) in enumerate(zip(pairs, written, strict=True)):
        head, tail = (unit if index == 0 else opening + unit).split('"unit": ""', 1)
        heads.add(head + '"unit": ')
        texts[pair] = tail
    (head,) = heads  # the name comes first in every unit
    separator = sql_string(",\n" + head)  # before every unit; the first one's comma is cut
    lines = kept.table.lines(lambda column: f"{separator} || {json_name_sql(column)}", texts)
    yield before + '"units": [' + next(lines).removeprefix(",")
    yield from lines
    yield "\n  ]" + after


def units_yaml(kept: KeptVariation) -> Iterator[str]:
    """The YAML of the whole result (as :func:`~svcdiag.serialise.to_yaml`), a chunk at a time.

    As :func:`units_json`: the result is written once with a unit per
    distinct pair, each named ``x``, and cut into the text before the units,
    each pair's text and the text after them. A unit's fields are indented
    under its ``  - ``, and the next top-level key starts a line, so the cuts
    are unambiguous.
    """
    pairs = list(kept.fit.values.items())
    units = [UnitResult.computed(values, "x") for _, values in pairs]
    whole = to_yaml(kept.summary.model_copy(update={"units": units}))
    head = "units:\n"
    at = ("\n" + whole).index("\n" + head)  # the top-level key, at the start of a line
    before, rest = whole[:at], whole[at + len(head) :]
    opening = "  - unit: x\n"
    listed, after = _listed_yaml(rest)
    written = listed.split(opening)
    if written[0] != "" or len(written) != len(pairs) + 1:
        raise AssertionError("the units of the result were not written as expected")
    texts = {pair: text for (pair, _), text in zip(pairs, written[1:], strict=True)}
    lines = kept.table.lines(lambda column: column, texts, _yaml_name)
    yield before + head + next(lines)
    yield from lines
    yield after


def _listed_yaml(rest: str) -> tuple[str, str]:
    """The lines of the list of units, and what follows it (from its next top-level key)."""
    lines = rest.splitlines(keepends=True)
    end = next((i for i, line in enumerate(lines) if not line.startswith(" ")), len(lines))
    return "".join(lines[:end]), "".join(lines[end:])


def _yaml_name(name: str) -> str:
    return "  - unit: " + first_field_yaml("units", "unit", name)


def view_of(kept: KeptVariation) -> tuple[VariationResult, VariationTally]:
    """What the terminal view of the result is drawn from, as for the whole result.

    :func:`.rich_stats.tally_view` takes these as :func:`.rich_stats.write`
    takes the whole result: the chart needs a unit per distinct pair, and the
    counts of the tally come from the pairs' counts. Only the units the table
    lists and the first ones the verdict names are read from the engine,
    picked as :func:`.rich_stats.tally_of` picks them.
    """
    from svcdiag.render import rich_stats

    values = kept.fit.values
    units = {pair: UnitResult.computed(fields, "") for pair, fields in values.items()}
    flagged = [pair for pair, unit in units.items() if unit.status is not Status.normal]
    alarms = [pair for pair in flagged if units[pair].status.is_alarm]

    def named(ranks: dict[tuple[int, int], int], limit: int) -> list[UnitResult]:
        found = kept.table.ranked(ranks, limit) if ranks else []
        found.sort(key=lambda unit: unit[2])  # in file order
        return [UnitResult.computed(values[pair], name) for name, pair, _ in found]

    if kept.table.units <= rich_stats.MAX_UNIT_ROWS:
        shown = named(dict.fromkeys(units, 0), rich_stats.MAX_UNIT_ROWS)
    else:
        order = sorted({rich_stats.show_rank(units[pair]) for pair in flagged})
        rank = {key: index for index, key in enumerate(order)}
        ranks = {pair: rank[rich_stats.show_rank(units[pair])] for pair in flagged}
        shown = named(ranks, rich_stats.MAX_UNIT_ROWS)
    tally = rich_stats.VariationTally(
        units=kept.table.units,
        cases=kept.table.cases,
        events=kept.table.events,
        flagged=sum(kept.pairs[pair] for pair in flagged),
        alarms=sum(kept.pairs[pair] for pair in alarms),
        first_alarms=named(dict.fromkeys(alarms, 0), rich_stats.MAX_NAMED),
        shown=shown,
        looks_beyond=any(rich_stats.looks_beyond(unit) for unit in units.values()),
    )
    return kept.summary.model_copy(update={"units": list(units.values())}), tally


#: The writer of each format a file of kept units can be written in.
WRITERS: dict[OutputFormat, Callable[[KeptVariation], Iterator[str]]] = {
    OutputFormat.csv: units_csv,
    OutputFormat.json: units_json,
    OutputFormat.yaml: units_yaml,
}


def _csv_line(cells: tuple[str, ...]) -> str:
    import io

    buffer = io.StringIO()
    CsvWriter(buffer).writerow(cells)
    return buffer.getvalue()
