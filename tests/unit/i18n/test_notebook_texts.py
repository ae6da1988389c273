"""The notebooks' long texts (markdown with formulas) exist in every language, by section."""

from grader import config
from grader.exercises import EXERCISES, notebook_text_path
from grader.notebooks.build import content_sections


def test_every_exercise_has_a_notebook_text_in_every_language():
    missing = [f"{lang}/{ex}.md" for lang in config.LANGUAGES for ex in EXERCISES
               if not notebook_text_path(ex, lang).is_file()]
    assert not missing, missing


def test_every_language_has_the_same_sections_with_text():
    for ex in EXERCISES:
        sections = {lang: content_sections(ex, lang) for lang in config.LANGUAGES}
        names = [list(s) for s in sections.values()]
        assert all(n == names[0] for n in names), (ex, names)
        empty = [(lang, name) for lang, s in sections.items() for name, text in s.items()
                 if not text.strip()]
        assert not empty, (ex, empty)


def test_every_function_of_an_exercise_is_explained():
    for ex in EXERCISES.values():
        for lang in config.LANGUAGES:
            sections = content_sections(ex.name, lang)
            assert "intro" in sections, (ex.name, lang)
            missing = [f for f in ex.functions + ex.given if f not in sections]
            assert not missing, (ex.name, lang, missing)


def test_formulas_are_balanced_in_every_text():
    for lang in config.LANGUAGES:
        for ex in EXERCISES:
            text = notebook_text_path(ex, lang).read_text(encoding="utf-8")
            assert text.count("$$") % 2 == 0, (lang, ex)
            assert text.count("{") == text.count("}"), (lang, ex)
