"""Staff surveys: export a questionnaire as a form, import the responses back.

* :mod:`~svcdiag.survey.xlsform` and :mod:`~svcdiag.survey.template` export a
  questionnaire as an XLSForm (ODK, KoboToolbox, Survey123) or as a plain CSV
  template for other tools; :mod:`~svcdiag.survey.relevance` turns ``when``
  conditions into equivalent XLSForm ``relevant`` expressions.
* :mod:`~svcdiag.survey.platforms` reads CSV and XLSX exports and recognises
  the layouts of KoboToolbox, ODK, Qualtrics and Google Forms;
  :mod:`~svcdiag.survey.mapping` maps their columns to question ids;
  :mod:`~svcdiag.survey.importing` checks every row with the answers-file rules
  and writes one responses file per import (:mod:`~svcdiag.survey.store`).

Nothing here prints: results go back to the command, which hands them to a
renderer.
"""
