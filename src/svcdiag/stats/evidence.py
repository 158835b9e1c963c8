"""Read a saved NPS, variation or trend result back, to attach it to a diagnosis as evidence.

A result written with ``svcdiag nps ... --output nps.yaml`` or ``svcdiag
variation ... --output variation.yaml`` (YAML or JSON) is read through
:mod:`svcdiag.source.yamlsource` (safe, with positions), recognised by its keys, and
validated against its model, including its internal consistency (counts that
add up, a verdict that matches the unit statuses). Every problem is an
:class:`~svcdiag.errors.InputFileError` naming file, line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from svcdiag.errors import InputFileError
from svcdiag.models.figures import signed
from svcdiag.models.located import PartError
from svcdiag.models.results import VERDICT_TEXT, NpsResult, StatsResult, VariationResult
from svcdiag.models.trend import TrendResult
from svcdiag.source.yamlsource import YamlDocument, load_file
from svcdiag.textsafe import some_names

EvidenceKind = Literal["nps", "variation", "trend"]

_NPS_KEYS = frozenset({"promoters", "passives", "detractors", "nps"})
_VARIATION_KEYS = frozenset({"target", "phi", "tau2", "verdict", "units"})
_TREND_KEYS = frozenset({"chart", "measure", "period", "series"})
_HOW_TO_SAVE = (
    "save one with: svcdiag nps FILE.csv --output nps.yaml, "
    "svcdiag variation FILE.csv ... --output variation.yaml, "
    "or svcdiag trend FILE.csv ... --output trend.yaml"
)
_REDO_TREND = (
    "the file may have been edited by hand: run svcdiag trend again rather than editing "
    "the file (svcdiag trend FILE.csv ... --output trend.yaml)"
)
#: Most validation problems listed in one message.
MAX_PROBLEMS = 5


def evidence_kind(data: Any) -> EvidenceKind | None:
    """Say which kind of result ``data`` looks like, by its keys."""
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if keys >= _TREND_KEYS:
        return "trend"
    nps, variation = len(keys & _NPS_KEYS), len(keys & _VARIATION_KEYS)
    if nps > variation:
        return "nps"
    if variation > nps:
        return "variation"
    return None


def _what(data: Any) -> str:
    """Name what a document holds in a user's words: ``a list``, ``text``, ``nothing``."""
    if data is None:
        return "nothing: an empty document"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, bool):
        return "a yes/no value"
    if isinstance(data, int | float):
        return "a number"
    return "text" if isinstance(data, str) else "a single value"


def _check_shape(doc: YamlDocument) -> EvidenceKind:
    doc.refuse_duplicates()
    kind = evidence_kind(doc.data)
    if kind is None:
        found = "a mapping without the expected keys"
        if not isinstance(doc.data, dict):
            found = _what(doc.data)
        raise InputFileError(
            doc.path,
            f"not a saved NPS, variation or trend result (found {found}); expected the keys "
            "n, promoters, passives, detractors, nps, ...; target, phi, tau2, verdict, units; "
            "or chart, measure, period, series",
            line=1,
            hint=_HOW_TO_SAVE,
        )
    return kind


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(the whole result)"


def _where_and_what(problem: ErrorDetails) -> tuple[tuple[int | str, ...], str]:
    """A problem's path and its words; a part's own (:class:`PartError`) where it names one."""
    part = problem.get("ctx", {}).get("error")
    if isinstance(part, PartError):
        return part.loc, str(part)
    loc = tuple(problem["loc"])
    return loc, f"{_location(loc)}: {problem['msg']}"


def _invalid(doc: YamlDocument, kind: EvidenceKind, err: ValidationError) -> InputFileError:
    problems = [_where_and_what(p) for p in err.errors()]
    position = doc.locate(problems[0][0])
    listed = [what for _, what in problems[:MAX_PROBLEMS]]
    more = len(problems) - len(listed)
    if more > 0:
        listed.append(f"and {more} more")
    name = {"nps": "NPS", "variation": "variation", "trend": "trend"}[kind]
    return InputFileError(
        doc.path,
        f"not a valid {name} result: " + "; ".join(listed),
        line=position.line,
        col=position.col,
        hint=_REDO_TREND
        if kind == "trend"
        else "the file may have been edited by hand; " + _HOW_TO_SAVE,
    )


def load_evidence(path: Path) -> NpsResult | VariationResult | TrendResult:
    """Read a saved NPS, variation or trend result (YAML or JSON) and validate it.

    Raises:
        InputFileError: the file is missing or unreadable, is not YAML/JSON,
            is neither kind of result, or does not validate.
    """
    doc = load_file(path)
    kind = _check_shape(doc)
    models: dict[str, type[NpsResult] | type[VariationResult] | type[TrendResult]] = {
        "nps": NpsResult,
        "variation": VariationResult,
        "trend": TrendResult,
    }
    model = models[kind]
    try:
        return model.model_validate(doc.data)
    except ValidationError as err:
        raise _invalid(doc, kind, err) from None


def summary(result: StatsResult) -> str:
    """Return a one-line account of a result, for reports that cite it as evidence."""
    if isinstance(result, NpsResult):
        level = f"{100 * result.confidence:g} %"
        line = (
            f"NPS {signed(result.nps)} ({level} interval {signed(result.ci_low)} to "
            f"{signed(result.ci_high)}; {result.n:,} answers)"
        )
        flagged = [f"{g.group} {g.flag.value}" for g in result.groups if g.flag.value != "within"]
        if result.groups:
            line += f"; groups beyond chance: {some_names(flagged) if flagged else 'none'}"
        return line
    alarms = [u.unit for u in result.units if u.status.is_alarm]
    beyond = f"beyond 99.8 % limits: {some_names(alarms)}" if alarms else "none beyond 99.8 %"
    return (
        f"{VERDICT_TEXT[result.verdict]} ({len(result.units)} units, target rate "
        f"{100 * result.target:.2f} %, {beyond})"
    )


#: Most values a saved point can stand for (its mapping, fields and share of its
#: series' signals): a bound that lets a small result skip the count.
_POINT_VALUES = 24


def too_large_as_evidence(result: TrendResult) -> str | None:
    """A warning when ``result``, saved as JSON or YAML, holds more values than evidence reads.

    The reader stops at :data:`~svcdiag.source.yamlsource.MAX_NODES` values
    (every mapping, list and scalar), which keeps a hostile file from
    exhausting memory; a trend of many groups over many days can pass it.
    """
    from svcdiag.serialise import plain
    from svcdiag.source.yamlsource import MAX_NODES

    points = sum(len(series.points) for series in result.series)
    if points * _POINT_VALUES < MAX_NODES:
        return None
    count, waiting = 0, [plain(result)]
    while waiting and count <= MAX_NODES:
        value = waiting.pop()
        count += 1
        if isinstance(value, dict):
            waiting.extend(value.values())
        elif isinstance(value, list):
            waiting.extend(value)
    if count <= MAX_NODES:
        return None
    return (
        f"this result holds more than {MAX_NODES:,} values, more than --evidence reads back: "
        "to attach it to a diagnosis, choose a longer --period or chart fewer groups"
    )
