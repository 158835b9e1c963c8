"""Evidence from client data: NPS survey exports and variation between units.

The modules here read CSV files as streams (:mod:`.csvsource`), tally them
(:mod:`.tally`), compute results with pure functions (:mod:`.nps`,
:mod:`.funnel`) and read saved results back as evidence (:mod:`.evidence`).
Rendering lives in :mod:`svcdiag.render`. Only the standard library does the
maths: no numpy or scipy at run time.

May import: :mod:`svcdiag.models`, :mod:`svcdiag.source` and the root
utilities; never a renderer, typer, rich or questionary.
"""
