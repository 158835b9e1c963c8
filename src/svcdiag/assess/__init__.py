"""Collect answers: the flow of questions, checks, answers files, sessions, prompts.

* :mod:`.run` is ``svcdiag assess`` from start to finish;
* :mod:`.flow` decides which question comes next, using :mod:`.conditions`;
* :mod:`.answers` checks one answer against its question, for every path in;
* :mod:`.answers_file` and :mod:`.batch` collect answers without prompting;
* :mod:`.interactive` drives a live interview through a prompter, saving each
  answer in a :mod:`.sessions` file; :mod:`.signals` turns SIGTERM and SIGHUP
  into a clean stop;
* :mod:`.prompting` is the one adapter to the terminal (the only module that
  imports questionary or prompt_toolkit), with its text in :mod:`.prompt_text`;
* :mod:`.finish` builds and writes the findings.

May import: :mod:`svcdiag.models`, :mod:`svcdiag.source`,
:mod:`svcdiag.definitions` and the root utilities. Apart from
:mod:`.prompting`, nothing here imports a terminal library.
"""
