"""Every command's help and every option's help exist in Spanish and English."""

import click
import pytest
from click.testing import CliRunner

from grader.cli import cli
from grader.i18n.clicktext import help_text, option_help

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_command_and_option_has_its_help_in_both_languages(command, lang):
    assert help_text(command, lang), command
    for param in cli.commands[command].params:
        if isinstance(param, click.Option) and param.help:
            assert option_help(command, param.name, lang), (command, param.name)


def test_the_spanish_help_of_grade_has_its_exit_status_and_no_english_option_text():
    result = CliRunner().invoke(cli, ["grade", "--help", "--lang", "es"])
    assert result.exit_code == 0
    assert "Estado de salida" in result.output
    for english in ("Folder for the gradebook", "Submissions graded in parallel",
                    "Memory limit per worker", "Grade even where"):
        assert english not in result.output
