"""`--jobs`: the same report whatever the number of workers, and no pool for small scans."""

import subprocess
import sys
from pathlib import Path

import pytest

from iamlint import parallel
from iamlint.registry import all_rules
from iamlint.report import render
from iamlint.report.options import RenderOptions
from iamlint.scan import ScanOptions, plan, run_job, scan

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from make_repo import make_repo  # noqa: E402


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "repo"
    assert make_repo(1000, 1, out) == 1000
    return out


def _reports(paths: list[str], jobs: int) -> tuple[str, str]:
    report = scan(paths, all_rules(), jobs=jobs)
    options = RenderOptions(color=False, sarif_category="iamlint", verbose=True)
    return render("json", report, options), render("sarif", report, options)


def test_one_and_two_jobs_give_identical_json_and_sarif(repo, monkeypatch):
    monkeypatch.chdir(repo.parent)
    jobs = plan(["repo"], [])
    assert parallel.workers_for(jobs, 2) == 2  # the pool is really used
    serial_json, serial_sarif = _reports(["repo"], 1)
    parallel_json, parallel_sarif = _reports(["repo"], 2)
    assert parallel_json == serial_json
    assert parallel_sarif == serial_sarif
    assert '"rule_id": "IAM002"' in serial_json  # the repo has findings to compare


def test_cli_jobs_gives_the_same_bytes(tmp_path):
    make_repo(200, 2, tmp_path / "repo")
    assert parallel.workers_for(plan([str(tmp_path / "repo")], []), 2) == 2

    def run(jobs: str) -> bytes:
        command = [sys.executable, "-m", "iamlint", "scan", "-f", "sarif", "--jobs", jobs, "repo"]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, check=False).stdout

    assert run("1") == run("2")


def test_small_scans_run_in_process(tmp_path):
    for index in range(3):
        (tmp_path / f"p{index}.json").write_text('{"Statement": []}')
    jobs = plan([str(tmp_path)], [])
    assert len(jobs) == 3
    assert parallel.workers_for(jobs, 8) == 1


def test_workers_never_exceed_jobs_or_request(tmp_path, monkeypatch):
    for index in range(3):
        (tmp_path / f"p{index}.json").write_text('{"Statement": []}')
    jobs = plan([str(tmp_path)], [])
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    assert parallel.workers_for(jobs, 8) == 3
    assert parallel.workers_for(jobs, 2) == 2
    assert parallel.workers_for(jobs, 1) == 1


def test_results_come_back_in_job_order(tmp_path, monkeypatch):
    for index in range(6):
        statement = '{"Effect": "Allow", "Action": "*", "Resource": "*"}'
        (tmp_path / f"p{index}.json").write_text(f'{{"Statement": [{statement}]}}')
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    jobs = plan([str(tmp_path)], [])
    results = list(parallel.run_jobs(jobs, ScanOptions(all_rules()), 2, run_job))
    files = [result.findings[0].location.file for result in results]
    assert files == [job.unit.candidates[0].display for job in jobs]


def test_jobs_must_be_positive():
    result = subprocess.run(
        [sys.executable, "-m", "iamlint", "scan", "--jobs", "0", "."],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--jobs" in result.stderr
