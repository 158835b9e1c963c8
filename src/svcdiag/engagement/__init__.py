"""Several respondents, one diagnosis: an engagement folder and its combined analysis.

An engagement is a folder (:mod:`svcdiag.models.engagement`) holding the
interviews, survey responses and client data of one client. This package
reads it, pools every respondent's evidence through the same diagnosis and
recommendation code as a single findings file, and adds what only several
respondents can show:

* :mod:`.folder` creates a folder and adds files to it, never losing one;
* :mod:`.respondents` reads interviews and survey responses, refusing those of
  another questionnaire and counting a duplicate once;
* :mod:`.anonymity` decides which groups may be shown (the floor and
  complementary suppression), with :mod:`.differencing` finding the small
  sets that would follow by adding and subtracting groups across breakdowns;
* :mod:`.item_floor` holds the floor per question and per score;
* :mod:`.tally` sums answers per group in one pass;
* :mod:`.student_t`, :mod:`.agreement` and :mod:`.gaps` hold the statistics
  (Student's t, r_wg, r_wg(J), Cronbach's alpha, Welch's interval);
* :mod:`.pooling` and :mod:`.confidence` turn the pooled evidence into one
  verdict with an engagement confidence and the perception-gap rule;
* :mod:`.report` builds the :class:`~svcdiag.models.engagement_report.EngagementReport`;
* :mod:`.status` counts participation against headcounts.
"""
