"""`python -m service` is the same as the `recwatch` command."""

from service.cli import app

app(prog_name="recwatch")
