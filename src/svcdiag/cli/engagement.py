"""``svcdiag engagement``: several respondents at one client, one diagnosis.

new, add, status and report; the interviews themselves are run with
``svcdiag assess --engagement DIR``.
"""

from pathlib import Path
from typing import Annotated

import typer

from svcdiag.cli.app import Group, app, handled
from svcdiag.render.engagement_formats import EngagementFormat

engagement_app = typer.Typer(
    name="engagement",
    cls=Group,
    help=(
        "Combine several respondents at one client (interviews, a staff survey, client "
        "data) into one diagnosis, with perception gaps between leaders and the frontline, "
        "agreement within groups and an anonymity floor. An engagement is a folder: "
        "engagement.yaml, interviews/, responses/, evidence/."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(engagement_app)

FolderArg = Annotated[
    Path, typer.Argument(metavar="DIR", help="The engagement folder.", show_default=False)
]


@engagement_app.command("new")
@handled
def new(
    folder: FolderArg,
    organisation: Annotated[
        str, typer.Option("--organisation", metavar="NAME", help="The client organisation.")
    ],
    questionnaire: Annotated[
        str,
        typer.Option("--questionnaire", metavar="ID", help="A shipped questionnaire id or a file."),
    ] = "diagnostic",
    anonymity_floor: Annotated[
        int,
        typer.Option(
            "--anonymity-floor",
            metavar="N",
            help="Fewest responses a group needs to be shown (at least 3).",
        ),
    ] = 5,
    comment_floor: Annotated[
        int | None,
        typer.Option(
            "--comment-floor",
            metavar="N",
            help="Fewest responses a group needs for its survey comments to be quoted "
            "(default: the anonymity floor).",
        ),
    ] = None,
    consultant: Annotated[
        str | None, typer.Option("--consultant", metavar="NAME", help="Your name.")
    ] = None,
) -> None:
    """Create an engagement folder (files already in it are kept).

    Writes DIR/engagement.yaml and the folders interviews/, responses/ and
    evidence/. Refuses when DIR already has an engagement.yaml. Add the
    client's units and headcounts to engagement.yaml by hand.
    """
    from svcdiag.console import print_info
    from svcdiag.engagement.commands import new_engagement
    from svcdiag.textsafe import for_shell

    made = new_engagement(
        folder,
        organisation=organisation,
        questionnaire=questionnaire,
        anonymity_floor=anonymity_floor,
        comment_floor=comment_floor,
        consultant=consultant,
    )
    print_info(
        f"Engagement for {made.organisation} created in {folder} (questionnaire "
        f"{made.questionnaire.id} {made.questionnaire.version}, anonymity floor "
        f"{made.anonymity_floor})."
    )
    print_info(f"Next: svcdiag assess --engagement {for_shell(str(folder))}")


@engagement_app.command("add")
@handled
def add(
    folder: FolderArg,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help="Findings files, survey responses files, or saved nps/variation results.",
        ),
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Add interviews that name another organisation than the engagement's "
            "(refused without it). Nothing is ever replaced.",
        ),
    ] = False,
) -> None:
    """Add findings files, survey responses or client data to an engagement.

    Each file is checked first (a findings file of another questionnaire or
    version is refused, naming the file); nothing is written if one is bad.
    Each is then copied into interviews/, responses/ or evidence/ under a
    free name (control characters in a name become _). A file already in the
    folder, or the same interview again, is skipped. An interview at another
    organisation is refused unless --force.
    """
    from svcdiag.console import print_info, print_warning
    from svcdiag.engagement.commands import add_to_engagement

    result = add_to_engagement(folder, files, force=force)
    for source, target, kind in result.added:
        renamed = (
            "; control characters in its name replaced by _" if source in result.renamed else ""
        )
        print_info(f"added {source} -> {target} ({kind}{renamed})")
    for source, reason in result.skipped:
        print_info(f"skipped {source}: {reason}")
    for warning in result.warnings:
        print_warning(warning)


@engagement_app.command("status")
@handled
def status(folder: FolderArg) -> None:
    """Show who has answered, per role and unit, against the headcounts.

    Groups under 60 % participation are flagged, and so are groups below the
    anonymity floor; the last lines say what a sound diagnosis still lacks.
    """
    from svcdiag.console import stdout_report_style
    from svcdiag.engagement.commands import status_of
    from svcdiag.render.engagement_formats import render_status
    from svcdiag.render.report_formats import RenderOptions

    width, color = stdout_report_style()
    typer.echo(render_status(status_of(folder), RenderOptions(width, color)), nl=False)


@engagement_app.command("report")
@handled
def report(
    folder: FolderArg,
    fmt: Annotated[
        EngagementFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="rich (terminal layout), markdown (client documents), the full "
            "report as yaml or json, html (one self-contained page with charts, to send "
            "to the client) or pdf (that page as a PDF: pip install 'svcdiag[pdf]'). "
            "Default: rich, or with --output the format its suffix names (.md, .yaml, "
            ".json, .html, .pdf, .txt for rich).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    questionnaire: Annotated[
        str | None,
        typer.Option(
            "--questionnaire",
            metavar="REF",
            help="The questionnaire file, when the engagement's is not a shipped one.",
        ),
    ] = None,
) -> None:
    """The combined diagnosis of every respondent of an engagement.

    Scores per role and unit group, perception gaps between leaders and the
    frontline with 95 % intervals, agreement within groups (r_wg), one
    verdict and one plan. Groups below the anonymity floor are never shown
    in any format, nor any that would follow by subtraction across roles and
    units, nor a score or gap fewer than the floor answered. A PDF is written
    to FILE or to a redirected standard output, never to a terminal. FILE is
    never inside the engagement's interviews/, responses/ or evidence/.
    """
    from svcdiag.atomicio import write_new
    from svcdiag.console import print_warning, print_wrote, stdout_report_style
    from svcdiag.engagement.commands import report_of
    from svcdiag.engagement.folder import check_report_target, read_engagement
    from svcdiag.render.engagement_formats import (
        PAGE_FORMATS,
        PageOptions,
        check_destination,
        format_for,
        render_engagement,
    )
    from svcdiag.render.report_formats import RenderOptions

    fmt = format_for(fmt, output)
    if output is not None:
        check_report_target(folder, output)
    check_destination(fmt, to_stdout=output is None)
    result = report_of(folder, questionnaire)
    page = PageOptions(read_engagement(folder).consultant) if fmt in PAGE_FORMATS else None
    for line in result.warnings:
        print_warning(line)
    if output is None:
        width, color = stdout_report_style()
        typer.echo(render_engagement(result, fmt, RenderOptions(width, color), page), nl=False)
        return
    write_new(output, render_engagement(result, fmt, RenderOptions(width=100), page), force=force)
    print_wrote(output)
