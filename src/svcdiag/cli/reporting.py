"""The report command: re-render saved findings, recomputed from their answers."""

from pathlib import Path
from typing import Annotated

import typer

from svcdiag.cli.app import EvidenceOption, app, handled
from svcdiag.render.report_formats import ReportFormat


@app.command()
@handled
def report(
    findings: Annotated[
        Path,
        typer.Argument(
            metavar="FINDINGS",
            help="A findings file saved by 'svcdiag assess'.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="rich: the terminal layout; markdown: for client documents; yaml and "
            "json: the full findings; html: one self-contained page with charts, to send "
            "to the client; pdf: that page as a PDF (pip install 'svcdiag[pdf]'). "
            "Default: rich, or with --output the format its suffix names (.md, .yaml, "
            ".json, .html, .pdf).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --output file if it exists.")
    ] = False,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            "-q",
            help="Recompute with this questionnaire (shipped id or path) instead of the one "
            "the findings name; it must have the same id (a moved or newer copy).",
        ),
    ] = None,
    evidence: EvidenceOption = None,
) -> None:
    """Re-render a findings file, recomputing the diagnosis from its answers.

    Warns on stderr when the questionnaire has changed since the findings were made.
    """
    from svcdiag.atomicio import write_new
    from svcdiag.console import print_warning, print_wrote, stdout_report_style
    from svcdiag.diagnosis.reanalyse import read_data_evidence, recompute
    from svcdiag.render.report_formats import (
        RenderOptions,
        check_destination,
        format_for,
        render,
    )

    fmt = format_for(fmt, output)
    check_destination(fmt, to_stdout=output is None)
    result = recompute(findings, questionnaire, read_data_evidence(evidence or []))
    if output is not None:  # --force replaces an older report, never a file read here
        from svcdiag.atomicio import check_not_input

        check_not_input(output, [findings, *(evidence or []), *result.definitions])
    for warning in result.warnings:
        print_warning(warning)
    if output is not None:
        write_new(output, render(result.findings, fmt, RenderOptions()), force=force)
        print_wrote(output)
        return
    width, color = stdout_report_style()
    typer.echo(render(result.findings, fmt, RenderOptions(width=width, color=color)), nl=False)
