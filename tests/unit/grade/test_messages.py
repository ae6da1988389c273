"""Every reason and note the grading code names exists in Spanish and English."""

import re

from grader import config
from grader.i18n import catalog

USE = re.compile(r"""(?:Problem|ArchiveProblem)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
ROOTS = ("grading", "ingest", "reports", "sandbox", "submission")


def test_every_problem_key_used_by_batch_grading_is_in_the_catalog():
    known = catalog()
    used = {}
    for root in ROOTS:
        for path in (config.PACKAGE_DIR / root).rglob("*.py"):
            for key in USE.findall(path.read_text(encoding="utf-8")):
                used[key] = path
    assert used, "the pattern found nothing: update it"
    missing = {k: str(p) for k, p in used.items() if k not in known}
    assert not missing, missing
    for key in used:
        assert all(known[key].get(lang, "").strip() for lang in config.LANGUAGES), key


def test_the_grading_catalog_has_every_status_and_protection_in_both_languages():
    known = catalog()
    for key in ("grading.status.graded", "grading.status.partial", "grading.status.rejected",
                "grading.summary.protection.network", "grading.summary.protection.filesystem",
                "grading.summary.protection.processes", "grading.summary.protection.privileges",
                "grading.summary.protection.process_limit"):
        assert set(config.LANGUAGES) <= set(known[key]), key
