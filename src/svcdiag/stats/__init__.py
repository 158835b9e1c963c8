"""Evidence from client data: NPS, variation between units, and change over time.

Files (CSV, Parquet, Excel: :mod:`.sources`, with :mod:`.csvsource` reading
CSV headers and rows) are aggregated by DuckDB in one query per command
(:mod:`.engine`, :mod:`.aggregate`), checked by the rules of :mod:`.values`
(:mod:`.locate` names the first bad row). Results are computed with pure
functions on the counts (:mod:`.nps`, :mod:`.funnel`, :mod:`.trend`) and read
back as evidence (:mod:`.evidence`). Rendering lives in :mod:`svcdiag.render`.
Only the standard library does the maths: no numpy or scipy at run time.

May import: :mod:`svcdiag.models`, :mod:`svcdiag.source` and the root
utilities; never a renderer, typer, rich or questionary.
"""
