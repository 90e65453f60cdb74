"""The README is the map a newcomer follows: every command, option, page, endpoint and setting it
names must exist, its two set-up commands must be the ones CI runs, and its sample commands must
work as printed. Each check reads the README itself, so an edit on either side that drifts fails.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from sqlalchemy import create_engine

from service.cli import app as cli_app
from service.config import Settings
from service.main import create_app
from service.webserver import running_line

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Variables the README names that are not service settings: the test suite's own.
NOT_SETTINGS = {"RECWATCH_TEST_POSTGRES_URL"}
# The line `recwatch serve` prints once it listens, quoted in the Quick start; not a command.
STARTUP_PREFIX = "recwatch is running:"


def _section(title: str) -> str:
    start = README.index(title)
    following = re.search(r"^#{2,3} ", README[start + len(title):], re.M)
    return README[start:start + len(title) + following.start()] if following else README[start:]


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def _routes() -> list[tuple[re.Pattern[str], set[str]]]:
    """Every path the app answers (API, dashboard, feeds, docs) as a pattern with its methods."""
    app = create_app(engine_provider=lambda: create_engine("sqlite://"),
                     settings=Settings(database_url="sqlite://"))
    found: list[tuple[re.Pattern[str], set[str]]] = []
    for path, ops in app.openapi()["paths"].items():
        found.append((_pattern(path), {op.upper() for op in ops}))
    stack = [("", route) for route in app.router.routes]
    while stack:  # included routers (the dashboard's, the feeds') hold their routes inside
        prefix, route = stack.pop()
        if (included := getattr(route, "original_router", None)) is not None:
            inner = prefix + getattr(getattr(route, "include_context", None), "prefix", "")
            stack.extend((inner, r) for r in included.routes)
            continue
        stack.extend((prefix, r) for r in getattr(route, "routes", None) or [])
        path = getattr(route, "path", None)
        if isinstance(path, str):
            found.append((_pattern(prefix + path), set(getattr(route, "methods", None) or {"GET"})))
    return found


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")


ROUTES = _routes()


def _answers(path: str, method: str | None = None) -> bool:
    if path == "/api/v1":  # the API's prefix, named as such
        return any(p.pattern.startswith("^/api/v1/") for p, _ in ROUTES)
    concrete = re.sub(r"\{[^}/]+\}", "1", path.split("?")[0].rstrip("/") or "/")
    return any(p.match(concrete) and (method is None or method in methods) for p, methods in ROUTES)


def test_the_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    serve, tests = _code_blocks(_section("## Quick start"))
    assert serve.strip().endswith("recwatch serve --demo")
    assert "requirements/serve.txt" in serve and (ROOT / "requirements/serve.txt").is_file()
    assert "requirements/test.txt" in tests and (ROOT / "requirements/test.txt").is_file()
    ci_lines = [line for line in (ROOT / ".ci/run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert ci_lines[-1] == tests.strip(), ".ci/run must end with the README's test command"
    assert "requirements/serve.txt" in (ROOT / ".ci/newcomer").read_text()


def _named_commands() -> list[list[str]]:
    """`recwatch …` as the README writes it, in inline code and in shell blocks."""
    spans = [s for s in re.findall(r"`(recwatch [^`]+)`", README) if not s.startswith(STARTUP_PREFIX)]
    for block in _code_blocks(README):
        spans += [line.strip() for line in block.splitlines() if line.strip().startswith("recwatch ")]
    return [shlex.split(span.replace("\\|", "|")) for span in spans]


def test_every_command_and_option_the_readme_names_exists() -> None:
    root = typer.main.get_command(cli_app)
    commands = _named_commands()
    assert len(commands) > 20
    for words in commands:
        command = root
        for word in words[1:]:  # typer may vendor click: groups are told by their commands
            if word in (getattr(command, "commands", None) or {}):
                command = command.commands[word]
                continue
            break
        assert command is not root, f"no such command: {' '.join(words)}"
        options = {opt for param in command.params for opt in param.opts + param.secondary_opts}
        for word in words[1:]:
            flag = word.strip("[]").split("=")[0]
            if flag.startswith("-") and flag not in ("-", "--"):
                assert flag in options, f"{' '.join(words)}: {command.name} has no option {flag}"


def test_every_page_and_endpoint_the_readme_names_is_served() -> None:
    paths = set(re.findall(r"`(/[^`\s]*)`", README))
    paths |= set(re.findall(r"127\.0\.0\.1:8000(/[^\s'\"<>)`]*)", README))
    paths |= {m for m in re.findall(r"(/api/v1/[^\s`'\"<>),]*)", README)}
    assert len(paths) > 25
    missing = sorted(p for p in paths if not _answers(p))
    assert not missing, f"the README names paths the app does not serve: {missing}"
    for method, path in re.findall(r"\b(GET|POST|PUT|PATCH|DELETE) (/[^\s`'\"<>),]+)", README):
        assert _answers(path, method), f"the app does not answer {method} {path}"


def test_every_setting_the_readme_names_exists() -> None:
    names = set(re.findall(r"\bRECWATCH_[A-Z_]+\b", README)) - NOT_SETTINGS
    fields = {f"RECWATCH_{name.upper()}" for name in Settings.model_fields}
    assert names, "the README names no settings"
    assert not names - fields, f"not settings: {sorted(names - fields)}"


@pytest.mark.parametrize("needle", [
    "/api/v1/reports/{state}", "DOCX", "XLSX", "CSV", "HTML", "JSON", "/api/v1/subscriptions",
    "`recwatch report", "`recwatch export", "RECWATCH_WEBHOOK_ALLOWED_HOSTS", "/subscriptions",
    "/sources", "/states/XSA", "/feeds/changes.atom", "webhook-signature", "/docs",
    "RECWATCH_DATABASE_URL", "recwatch worker"])
def test_the_readme_shows_what_a_user_needs(needle: str) -> None:
    assert needle in README


def test_the_sample_commands_run_as_printed(tmp_path: Path) -> None:
    (block,) = _code_blocks(_section("### Try it on the sample"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECWATCH_")}
    env["RECWATCH_DATA_DIR"] = str(tmp_path / "recwatch-data")
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    assert lines[0] == "recwatch demo"
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "recwatch"
        done = subprocess.run([sys.executable, "-m", "service", *words[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, f"{line}: exit {done.returncode}\n{done.stderr[-2000:]}"
        if "-o" in words:
            written = tmp_path / words[words.index("-o") + 1]
            assert written.is_file() and written.stat().st_size > 0, f"{line} wrote nothing"


def test_the_start_up_line_quoted_is_the_one_serve_prints() -> None:
    quoted = re.search(r"`(recwatch is running:[^`]+)`", _section("## Quick start"))
    assert quoted is not None and quoted.group(1) == running_line("127.0.0.1", 8000)
