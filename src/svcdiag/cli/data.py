"""Evidence from client data: nps and variation over CSV, Parquet and Excel exports."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from svcdiag.cli.app import app, handled
from svcdiag.render.stats_formats import OutputFormat

if TYPE_CHECKING:
    from svcdiag.models.trend import TrendResult
    from svcdiag.stats.analysis import KeptVariation

CsvFile = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="Data file: CSV or TSV with a header line (UTF-8; comma, semicolon, tab or | "
        "separated), Parquet, or an Excel workbook (.xlsx; the header is the sheet's first "
        "row with values).",
        show_default=False,
        readable=False,  # svcdiag names an unreadable file itself, as every other problem
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="rich: tables for the terminal; json, yaml, csv: data for other programs; "
        "html: a self-contained page with the chart, for a client; pdf: that page as a PDF "
        "(pip install 'svcdiag[pdf]'; needs --output or a redirect).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Also write the result to this file (yaml, json, csv, html or pdf, from "
        "--format or the file name). A YAML result can be attached as evidence to a "
        "diagnosis.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the --output file if it exists.")
]
DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        help="Field delimiter: one character, or 'tab'. Detected from the header if not given.",
        show_default=False,
    ),
]
SqlOption = Annotated[
    bool,
    typer.Option(
        "--sql",
        help="Print the aggregation as plain SQL (for the client's warehouse) instead of "
        "running it, or write it to the --output file; the file's name stands for the table.",
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help="Sheet of an Excel workbook to read. Default: the only sheet with data.",
        show_default=False,
    ),
]


def _emit(result: object, fmt: OutputFormat, output: Path | None, force: bool) -> None:

    from svcdiag.console import print_wrote
    from svcdiag.models.results import NpsResult, VariationResult
    from svcdiag.render.stats_formats import emit

    assert isinstance(result, NpsResult | VariationResult)
    emit(result, fmt, _stdout(fmt), output=output, force=force)
    if output is not None:
        print_wrote(output)


@app.command()
@handled
def nps(
    file: CsvFile,
    column: Annotated[
        str | None,
        typer.Option(
            "--column",
            "-c",
            help="Column of 0-10 answers. Default: the only column, or one named nps, score, "
            "nps_score, rating, recommend or likelihood_to_recommend.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Column to group by (branch, team, channel): NPS per group, flagging groups "
            "whose NPS and whole interval lie above or below the overall NPS.",
            show_default=False,
        ),
    ] = None,
    confidence: Annotated[
        float,
        typer.Option(help="Coverage of the intervals, 0.5 to 0.999 (e.g. 0.90, 0.95, 0.99)."),
    ] = 0.95,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Skip rows whose answer is not an integer 0-10 (or whose group is empty) "
            "and count them, instead of stopping at the first.",
        ),
    ] = False,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
    sql: SqlOption = False,
    fmt: FormatOption = OutputFormat.rich,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Net Promoter Score of a survey export, with its confidence interval.

    Counts promoters (9-10), passives (7-8) and detractors (0-6), and gives the
    NPS with its adjusted-Wald interval, overall and per --by group. The file
    is streamed, so exports of millions of rows are fine.
    """
    _check_output(file, output)
    _check_sql(sql, fmt, output)
    if sql:
        from svcdiag.stats.warehouse_sql import nps_sql

        query = nps_sql(file, column=column, by=by, delimiter=delimiter, sheet=sheet)
        _print_sql(query, output, force)
        return
    from svcdiag.stats.analysis import nps_from_file

    analysis = nps_from_file(
        file,
        column=column,
        by=by,
        confidence=confidence,
        skip_invalid=skip_invalid,
        delimiter=delimiter,
        sheet=sheet,
    )
    _warn(analysis.warnings)
    _emit(analysis.result, fmt, output, force)


def _check_output(file: Path, output: Path | None) -> None:
    """Refuse an --output that is the data file, a folder or a device, before any work is done.

    Whether an existing file may be replaced (``--force``) is asked when it is written.
    """
    if output is not None:
        from svcdiag.atomicio import check_not_input, check_target

        check_not_input(output, [file])
        check_target(output, force=True)


def _warn_if_no_evidence(result: "TrendResult", fmt: OutputFormat, output: Path | None) -> None:
    """Warn when a trend saved as JSON or YAML would be too large to attach as evidence."""
    from svcdiag.console import print_warning
    from svcdiag.render.stats_formats import file_format
    from svcdiag.stats.evidence import too_large_as_evidence

    chosen = file_format(fmt, output) if output is not None else fmt
    if chosen in (OutputFormat.json, OutputFormat.yaml):
        warning = too_large_as_evidence(result)
        if warning is not None:
            print_warning(warning)


def _check_sql(sql: bool, fmt: OutputFormat, output: Path | None) -> None:
    """Refuse what --sql would ignore or misname, and a query file asked for without --sql."""
    from svcdiag.errors import UsageError
    from svcdiag.render.stats_formats import SUFFIX_FORMATS

    named = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if sql and fmt is not OutputFormat.rich:
        raise UsageError(
            f"--sql writes the query, not a result: --format {fmt.value} does not apply",
            hint="leave out --format, or leave out --sql to run the query",
        )
    if sql and output is not None and named is not None:
        raise UsageError(
            f"--sql writes SQL, but {output} is named for {named.value}",
            hint=f"name the file {output.with_suffix('.sql')}",
        )
    if not sql and output is not None and output.suffix.lower() == ".sql":
        raise UsageError(
            f"{output} is named for SQL, but without --sql the result is written",
            hint="pass --sql to write the query there, or name the file for the result "
            "(.json, .yaml, .csv, .html or .pdf)",
        )


def _print_sql(query: str, output: Path | None, force: bool) -> None:
    """Print the warehouse query, or write it to ``output`` (``--sql -o query.sql``)."""
    import sys

    from svcdiag.console import data_stream, print_wrote

    if output is None:
        data_stream(sys.stdout).write(query)
        return
    from svcdiag.atomicio import write_new

    write_new(output, query, force=force)
    print_wrote(output)


def _stdout(fmt: OutputFormat) -> IO[str]:
    """Standard output for data in ``fmt``: on a terminal, without control characters."""
    import sys

    from svcdiag.console import data_stream

    return data_stream(sys.stdout, styled=fmt is OutputFormat.rich)


def _warn(warnings: list[str]) -> None:
    from svcdiag.console import print_warning

    for warning in warnings:
        print_warning(warning)


@app.command()
@handled
def variation(
    file: CsvFile,
    unit: Annotated[
        str,
        typer.Option(
            "--unit",
            "-u",
            help="Column naming the unit compared: agent, team or branch.",
            show_default=False,
        ),
    ],
    events: Annotated[
        str | None,
        typer.Option(
            "--events",
            help="Column counting events per row (e.g. complaints); needs --cases.",
            show_default=False,
        ),
    ] = None,
    cases: Annotated[
        str | None,
        typer.Option(
            "--cases",
            help="Column counting the cases the events happened among (e.g. contacts); "
            "at most 10,000,000,000 cases in all.",
            show_default=False,
        ),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome",
            help="Column of a 0/1 outcome, one row per case (instead of --events/--cases).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(
            "--target",
            help="Rate to compare every unit with, as a proportion (0.05 = 5 %). "
            "Default: the pooled rate of all units.",
            show_default=False,
        ),
    ] = None,
    overdispersion: Annotated[
        bool | None,
        typer.Option(
            "--overdispersion/--no-overdispersion",
            help="Widen the limits by tau squared when the units vary more than chance "
            "(phi), or never. Default: widen them when there are at least 20 units; "
            "with fewer the extra spread cannot be estimated and the output says so.",
            show_default=False,
        ),
    ] = None,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
    sql: SqlOption = False,
    fmt: FormatOption = OutputFormat.rich,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Is the spread between agents, teams or branches one system's noise, or more?

    A funnel analysis (Spiegelhalter 2005): each unit's rate against limits at
    95 % and 99.8 % that narrow as its number of cases grows. All units inside
    the 99.8 % limits: common cause, look at the system. Units outside:
    special cause, look at what differs for them. Give either one row per unit
    (--events and --cases) or one row per case (--outcome).
    """
    _check_output(file, output)
    _check_sql(sql, fmt, output)
    if sql:
        from svcdiag.stats.analysis import check_counting
        from svcdiag.stats.warehouse_sql import variation_sql

        check_counting(events, cases, outcome)
        query = variation_sql(
            file,
            unit=unit,
            events=events,
            cases=cases,
            outcome=outcome,
            delimiter=delimiter,
            sheet=sheet,
        )
        _print_sql(query, output, force)
        return
    from svcdiag.stats.analysis import KeptVariation, variation_analysis

    keep = _kept_outputs(fmt, output)  # many units are then listed straight from the engine
    with (
        _no_cycle_collection(),
        variation_analysis(
            file,
            unit=unit,
            events=events,
            cases=cases,
            outcome=outcome,
            target=target,
            overdispersion=overdispersion,
            delimiter=delimiter,
            sheet=sheet,
            keep_many=keep,
        ) as found,
    ):
        _warn(found.warnings)
        if isinstance(found, KeptVariation):
            _emit_kept(found, fmt, output, force)
        else:
            _emit(found.result, fmt, output, force)


def _kept_outputs(fmt: OutputFormat, output: Path | None) -> bool:
    """Whether every output can be made from units kept in the engine.

    The terminal view can, and so can a CSV, JSON or YAML file. A format the
    output's name contradicts is reported where it always is, after the file
    is read: here it only means "no".
    """
    from svcdiag.errors import UsageError
    from svcdiag.render.kept_units import WRITERS
    from svcdiag.render.stats_formats import file_format

    if output is None:
        return fmt is OutputFormat.rich or fmt in WRITERS
    try:
        written = file_format(fmt, output)
    except UsageError:
        return False
    return written in WRITERS and fmt in (OutputFormat.rich, written)


def _emit_kept(found: "KeptVariation", fmt: OutputFormat, output: Path | None, force: bool) -> None:
    """Write a funnel analysis of units kept in the engine, as :func:`_emit` writes a result."""
    from svcdiag.console import print_wrote
    from svcdiag.render import kept_units
    from svcdiag.render.stats_formats import emit_text, file_format

    view = kept_units.view_of(found) if fmt is OutputFormat.rich else None  # before any file
    if output is not None or view is None:
        writer = kept_units.WRITERS[fmt if output is None else file_format(fmt, output)]
        emit_text(writer(found), _stdout(fmt), output=output, force=force)
    if view is not None:
        from svcdiag.render.rich_stats import write_tally

        write_tally(*view, _stdout(fmt))
    if output is not None:
        print_wrote(output)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a result of up to millions of units is built.

    Those objects hold no reference cycles, yet the collector would scan them
    again and again as they accumulate: a third of the time at a million units.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@app.command()
@handled
def trend(
    file: CsvFile,
    time: Annotated[
        str,
        typer.Option(
            "--time",
            "-t",
            help="Column of dates (YYYY-MM-DD, optionally with a time; Excel dates too).",
            show_default=False,
        ),
    ],
    period: Annotated[
        str, typer.Option("--period", "-p", help="Period to chart: day, week, month or quarter.")
    ] = "month",
    events: Annotated[
        str | None,
        typer.Option(
            "--events", help="Column counting events per row; with --cases: a p-chart of the rate."
        ),
    ] = None,
    cases: Annotated[
        str | None,
        typer.Option("--cases", help="Column counting the cases the events happened among."),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option("--outcome", help="Column of a 0/1 outcome, one row per case: a p-chart."),
    ] = None,
    value: Annotated[
        str | None,
        typer.Option(
            "--value",
            help="Column of a measured value (CSAT, handling time): an XmR chart of the "
            "period means.",
        ),
    ] = None,
    nps_column: Annotated[
        str | None,
        typer.Option("--nps", help="Column of 0-10 answers: the NPS per period with its interval."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Column to chart separately (team, branch), after the whole."),
    ] = None,
    target: Annotated[
        float | None,
        typer.Option(
            "--target",
            help="The level asked for (a rate as a proportion, a value, or an NPS): a stable "
            "process worse than it in every period is reported as poor throughout.",
        ),
    ] = None,
    better: Annotated[
        str | None,
        typer.Option(
            "--better",
            help="Which way is better: higher or lower. Default: lower for rates, "
            "higher for values and NPS.",
        ),
    ] = None,
    change: Annotated[
        list[str] | None,
        typer.Option(
            "--change",
            help="A known change, DATE=WHAT (e.g. 2024-03-01='new CRM'); a signal starting "
            "right after it names it. Repeatable.",
        ),
    ] = None,
    delimiter: DelimiterOption = None,
    sheet: SheetOption = None,
    fmt: FormatOption = OutputFormat.rich,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Has it changed over time, or is it noise? A control chart per period.

    A p-chart for a rate (--events/--cases or --outcome), an XmR chart for a
    measured value (--value), or the NPS per period (--nps). Flags three
    special-cause signals: a point beyond the limits, 8 periods in a row on
    one side of the centre (a shift), 6 rising or falling (a trend), and
    says whether the process is stable or what changed and when. Periods
    without data are named, and no run or moving range spans them.
    """
    from svcdiag.render.trend_formats import emit
    from svcdiag.stats.trend_analysis import Measure, trend_from_file

    _check_output(file, output)
    analysis = trend_from_file(
        file,
        time=time,
        measure=Measure(events=events, cases=cases, outcome=outcome, value=value, nps=nps_column),
        period=_choice(period, "--period", ("day", "week", "month", "quarter")),  # type: ignore[arg-type]
        by=by,
        target=target,
        better=_choice(better, "--better", ("higher", "lower")) if better else None,  # type: ignore[arg-type]
        changes=change or [],
        delimiter=delimiter,
        sheet=sheet,
    )
    _warn(analysis.warnings)
    _warn_if_no_evidence(analysis.result, fmt, output)
    emit(analysis.result, fmt, _stdout(fmt), output=output, force=force)
    if output is not None:
        from svcdiag.console import stderr_console

        stderr_console().print(f"wrote {output}", markup=False)


def _choice(given: str, option: str, allowed: tuple[str, ...]) -> str:
    from svcdiag.errors import UsageError

    if given.lower() not in allowed:
        raise UsageError(f"{option} must be one of {', '.join(allowed)}, not {given!r}")
    return given.lower()
