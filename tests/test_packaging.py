"""The wheel is what users install: it must hold every file the service reads at run time.

An editable install reads from the checkout, so a file missing from the package data (the sample
report text, a template, a migration) goes unnoticed by the rest of the suite. This builds the
real wheel and compares it with the files git tracks in the installed packages.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("service", "scrapers", "migrations")


def _tracked_package_files() -> set[str]:
    out = subprocess.run(["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    return {line for line in out.stdout.splitlines() if line and not line.endswith(".pyc")}


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out_dir = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                            str(out_dir), str(ROOT)], capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = out_dir.glob("recwatch-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_tracked_file_of_the_packages(wheel_names: set[str]) -> None:
    missing = sorted(_tracked_package_files() - wheel_names)
    assert not missing, f"files the service needs but the wheel lacks: {missing}"


def test_the_wheel_holds_the_sample_and_the_templates(wheel_names: set[str]) -> None:
    for needed in ("service/sample/sampleland_wg_report.txt", "service/dashboard/templates/base.html",
                   "service/reports/templates/report.html", "migrations/script.py.mako"):
        assert needed in wheel_names


def test_the_wheel_declares_the_recwatch_command(wheel_names: set[str]) -> None:
    (entry_points,) = [n for n in wheel_names if n.endswith(".dist-info/entry_points.txt")]
    assert entry_points.startswith("recwatch-")
