"""Every student-facing message exists in Spanish and English, and every key used exists."""

import re
import string

from grader import config
from grader.i18n import catalog, resolve_lang, t
from grader.rubric import load_rubric

KEY_USE = re.compile(r"""(?:\bt|both|fail|expect_true|Feedback|GraderError|_feedback)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
MISTAKE_USE = re.compile(r"""mistake\s*=\s*["']([a-z0-9_]+)["']""")


def _python_sources():
    roots = [config.PACKAGE_DIR, config.CHECKS_DIR]
    for root in roots:
        yield from (p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_message_has_both_languages_and_the_same_placeholders():
    problems = []
    for key, entry in catalog().items():
        missing = [lang for lang in config.LANGUAGES if not entry.get(lang, "").strip()]
        if missing:
            problems.append(f"{key}: missing {missing}")
            continue
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f}
                  for lang in config.LANGUAGES]
        if any(f != fields[0] for f in fields):
            problems.append(f"{key}: placeholders differ {fields}")
    assert not problems, "\n".join(problems)


def test_every_message_key_used_in_the_code_is_in_the_catalog():
    known = set(catalog())
    used = {}
    for path in _python_sources():
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, path)
    missing = {k: str(p) for k, p in used.items() if k not in known}
    assert not missing, missing


def test_every_named_mistake_has_a_text_in_both_languages():
    from grader.mutants import mutants

    names = set(mutants())
    for path in _python_sources():
        names.update(MISTAKE_USE.findall(path.read_text(encoding="utf-8")))
    missing = sorted(n for n in names if f"mistake.{n}" not in catalog())
    assert not missing, missing


def test_every_rubric_check_has_a_title_in_both_languages():
    for item in load_rubric().items.values():
        assert all(item.title.get(lang, "").strip() for lang in config.LANGUAGES), item.id


def test_language_comes_from_option_then_environment_then_locale(monkeypatch):
    monkeypatch.setenv("GRADER_LANG", "en")
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert resolve_lang("es") == "es"
    assert resolve_lang(None) == "en"
    monkeypatch.delenv("GRADER_LANG")
    assert resolve_lang(None) == "es"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert resolve_lang(None) == "en"


def test_spanish_is_the_default_when_nothing_decides(monkeypatch):
    for var in ("GRADER_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("locale.getlocale", lambda: (None, None))
    assert resolve_lang(None) == "es"


def test_messages_are_formatted_with_their_parameters():
    assert "3.5" in t("feedback.timeout", "en", call="f", seconds=3.5)
    assert t("status.passed", "es") == "superada"


def test_a_c_or_posix_locale_means_undecided_so_spanish(monkeypatch):
    for var in ("GRADER_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for value in ("C.UTF-8", "POSIX", "fr_FR.UTF-8"):
        monkeypatch.setenv("LANG", value)
        assert resolve_lang(None) == "es"
