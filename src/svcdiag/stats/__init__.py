"""Evidence from client data: NPS survey exports and variation between units.

The modules here read CSV files as streams (:mod:`.csvsource`), tally them
(:mod:`.tally`), compute results with pure functions (:mod:`.nps`,
:mod:`.funnel`), render them (:mod:`.formats` and one module per format) and
read saved results back as evidence (:mod:`.evidence`). Only the standard
library does the maths: no numpy or scipy at run time.
"""
