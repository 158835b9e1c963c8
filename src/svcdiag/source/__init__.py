"""Read definition files safely: YAML with positions, and the shipped files.

:mod:`.yamlsource` parses YAML without PyYAML's silent surprises (duplicate
keys, alias bombs, custom tags) and remembers the line and column of every
key and value, so every later error can point at it. :mod:`.resources` finds
the questionnaires and catalogues shipped with svcdiag.

May import: :mod:`svcdiag.models` and the root utilities. Nothing here
imports a terminal or command-line library.
"""
