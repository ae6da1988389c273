"""`grader submit` refuses the documentation's placeholder ids (TU_ID, YOUR_ID, ...)."""

import pytest

from grader.errors import GraderError
from grader.submission import is_placeholder, submit


@pytest.mark.parametrize("sid", ["TU_ID", "YOUR_ID", "your-id", "ID", "<TU_ID>", "student_id",
                                 "tu_identificador", "MY_ID", "xxx"])
def test_placeholders_are_refused_before_anything_is_read(sid, tmp_path):
    assert is_placeholder(sid)
    with pytest.raises(GraderError) as err:
        submit(sid, tmp_path / "nowhere", tmp_path / "out.zip", lang="en")
    assert err.value.key == "batch.error.placeholder_id"
    assert not (tmp_path / "out.zip").exists()


@pytest.mark.parametrize("sid", ["ana.garcia", "12345678A", "u123", "idoia", "lperez-2"])
def test_real_ids_are_not_placeholders(sid):
    assert not is_placeholder(sid)


def test_the_readme_placeholders_are_all_refused():
    import re

    from grader import config

    text = (config.REPO_DIR / "README.md").read_text(encoding="utf-8")
    found = set(re.findall(r"--student-id\s+([A-Za-z_<>-]+)", text))
    assert found, "the README shows how to submit"
    assert all(is_placeholder(s) for s in found), found
