"""Mistakes in keras_lab.py.

The student's Keras objects never reach the judge: the checks receive plain
descriptions from the worker (grader/sandbox/keras_probe.py), compare them with
the contract and name the mistake; the helpers that do it live in public.py,
which ships to students (this file does not). There are no mutants of the
reference here (its values are Keras objects, not numbers): every named mistake
has a student-style source in mistake_sources.py instead.
"""

MUTANTS = {}
