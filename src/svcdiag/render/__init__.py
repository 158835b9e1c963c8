"""Render results: one module per output format and kind of result.

A registry per kind of result maps each ``--format`` member to a renderer:
:mod:`.report_formats` for a diagnosis report, :mod:`.stats_formats` for NPS
and variation results. The renderers are named format first:
:mod:`.rich_report`, :mod:`.markdown_report`, :mod:`.rich_stats`,
:mod:`.csv_stats`; :mod:`.wording` holds the words every report format shares
and :mod:`.funnel_chart` lays out a funnel plot in characters.

May import every core package (models, definitions, assess, stats,
diagnosis) and rich; never typer or questionary. No core package imports
this one.
"""
