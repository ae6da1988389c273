"""What a worker imports before arming (numpy, a profile's preload) never comes from the
student's folder: a student file named like one of those modules' dependencies would
otherwise run unarmed, before the audit hook watches (helper-shadows-tf-dependency).

A cheap stand-in for the Keras profile: a worker whose preload is a small standard module
(``colorsys``) that no worker imports on its own, with a student file of that name beside
the exercise.
"""

import dataclasses

import pytest

from grader.sandbox.runner import SandboxLimits, Worker

pytestmark = pytest.mark.sandbox

SHADOW = b'''
import __main__
ARMED_AT_IMPORT = __main__.STATE["armed"]
SHADOWED = True
'''

LAB = b'''
import sys

def preloaded():
    module = sys.modules["colorsys"]
    return [getattr(module, "SHADOWED", False), module.__file__ or "",
            getattr(module, "ARMED_AT_IMPORT", None)]

def own_colorsys_file():
    import os
    return os.path.isfile("colorsys.py")
'''


def test_a_preloaded_module_is_the_environments_not_a_student_file_of_that_name():
    limits = dataclasses.replace(SandboxLimits(), preload=("colorsys",))
    with Worker({"keras_lab.py": LAB, "colorsys.py": SHADOW}, limits=limits) as worker:
        out = worker.call("keras_lab", "own_colorsys_file")
        assert out.ok and out.value is True, (out.status, out.info)   # the file was there
        out = worker.call("keras_lab", "preloaded")
        assert out.ok, (out.status, out.info, out.output[-2000:])
        shadowed, origin, armed = out.value
        assert shadowed is False, f"the student's colorsys.py ran at preload (armed: {armed})"
        assert origin.endswith("colorsys.py") and "keras_lab" not in origin
