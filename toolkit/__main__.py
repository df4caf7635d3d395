"""``python -m toolkit``: the same as the ``toolkit`` command."""

from .cli import cli

cli(prog_name="toolkit")
