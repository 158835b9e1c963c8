"""From answers to a diagnosis: scores, verdict, recommendations, triage.

The data flows one way, each step a pure function over models:

* :mod:`.evidence` reads each real answer as evidence (health 0..1 times a
  weight) toward cause factors and benchmark characteristics, and notes what
  was unknown, skipped or no longer fits;
* :mod:`.score` pools the evidence into 0-100 scores and Gilbert's six cells;
* :mod:`.diagnose` applies the few rules of METHODS §4 to reach a verdict;
* :mod:`.recommend` ranks the interventions by the deficits they address;
* :mod:`.triage` reads a Mager & Pipe triage questionnaire to its route;
* :mod:`.analyse` runs them all and attaches the result to a findings file.
"""

from svcdiag.diagnosis.analyse import CatalogueView, analyse, analyse_evidence, with_analysis

__all__ = ["CatalogueView", "analyse", "analyse_evidence", "with_analysis"]
