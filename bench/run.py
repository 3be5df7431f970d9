"""Time iamlint as users run it: whole processes, interpreter start included.

    python bench/run.py                    # full run, writes bench/results.md
    python bench/run.py --quick            # under two minutes: smaller repos, fewer runs
    python bench/run.py --compare checkov  # also Checkov (IAM checks only), side by side
    python bench/run.py --readme README.md # copy the table into the README

Cases: one small file of each format (the pre-commit case), the shared
corpus, and synthetic monorepos from `bench/make_repo.py`. Each case runs
several times; the table gives the median wall time with its range, the CPU
time (user + system, all processes), files per second, the peak memory, the
pure-parse baseline (`bench/parse_only.py`: the same files decoded by the same
parsers in one process, nothing else) and iamlint's ratio to it. With
`--compare checkov`, Checkov (restricted to CHECKOV_IAM_CHECKS, installed into
its own virtualenv from `bench/requirements-compare.txt`) runs in alternation
with iamlint on the same files, and the table adds its time and the ratio.

Bytecode is cached (as after any `pip install`), in a temporary directory so
the working tree is not touched, and every case runs once untimed first.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from make_repo import make_repo

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = REPO.parent / "shared" / "corpus"
RESULTS = BENCH / "results.md"
REQUIREMENTS = BENCH / "requirements-compare.txt"
# Checkov takes minutes per run on a large repository: the biggest case is left to iamlint.
CHECKOV_MAX_FILES = 5000
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"

# The pre-commit case: one small file of each format.
PRECOMMIT = {
    "pre-commit: one raw policy": REPO / "tests/fixtures/IAM004/unscoped.json",
    "pre-commit: one Terraform file": REPO / "tests/fixtures/IAM002/admin.tf",
    "pre-commit: one CloudFormation template": REPO / "tests/fixtures/IAM004/policy.cfn.yaml",
}
# Checkov's checks that look at IAM: identity and resource policies, trust
# policies, managed policy attachments, access keys and credentials in code.
CHECKOV_IAM_CHECKS = (
    "CKV_AWS_1",  # admin "*:*" in aws_iam_policy_document
    "CKV_AWS_32",  # ECR repository policy public
    "CKV_AWS_33",  # KMS key policy with a wildcard principal
    "CKV_AWS_40",  # policies attached to users
    "CKV_AWS_41",  # hard-coded access key in a provider
    "CKV_AWS_45",  # hard-coded secrets in Lambda environment
    "CKV_AWS_46",  # hard-coded secrets in EC2 user data
    "CKV_AWS_49",  # "*" as an action in a policy document
    "CKV_AWS_60",  # role assumable by anyone
    "CKV_AWS_61",  # role assumable across all services
    "CKV_AWS_62",  # admin "*:*" in a policy
    "CKV_AWS_63",  # "*" as an action
    "CKV_AWS_70",  # S3 bucket policy allowing any principal
    "CKV_AWS_72",  # SQS policy allowing all actions
    "CKV_AWS_107",  # credentials exposure
    "CKV_AWS_108",  # data exfiltration
    "CKV_AWS_109",  # permissions management without constraints
    "CKV_AWS_110",  # privilege escalation
    "CKV_AWS_111",  # write access without constraints
    "CKV_AWS_167",  # Glacier vault policy public
    "CKV_AWS_168",  # SQS queue policy public
    "CKV_AWS_169",  # SNS topic policy public
    "CKV_AWS_274",  # AdministratorAccess attached to a principal
    "CKV_AWS_275",  # AdministratorAccess in a policy
    "CKV_AWS_283",  # any AWS principal in a policy document
    "CKV_AWS_286",  # privilege escalation (policy documents)
    "CKV_AWS_287",  # credentials exposure (policy documents)
    "CKV_AWS_288",  # data exfiltration (policy documents)
    "CKV_AWS_289",  # permissions management (policy documents)
    "CKV_AWS_290",  # write access without constraints (policy documents)
    "CKV_AWS_348",  # access key for the root user
    "CKV_AWS_355",  # "*" resource for restrictable actions
    "CKV_AWS_356",  # "*" resource for restrictable actions (policy documents)
    "CKV_AWS_358",  # GitHub Actions OIDC trust without safe claims
    "CKV_AWS_387",  # SQS policy public through wildcards
    "CKV_AWS_393",  # GitHub Actions OIDC trust on a role
    "CKV2_AWS_40",  # full IAM privileges
    "CKV2_AWS_56",  # IAMFullAccess attached
)


@dataclass(frozen=True)
class Case:
    name: str
    paths: tuple[str, ...]
    files: int
    runs: int
    checkov_target: tuple[str, ...]  # Checkov's arguments naming the same files


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float  # peak of the sum over the process and its children


@dataclass
class Timings:
    samples: list[Sample] = field(default_factory=list)

    def cell(self) -> str:
        walls = sorted(s.wall for s in self.samples)
        if len(walls) == 1:
            return f"{walls[0]:.2f} s"
        return f"{statistics.median(walls):.2f} s ({walls[0]:.2f}–{walls[-1]:.2f})"

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return max(s.rss_mb for s in self.samples)


def measure(command: Sequence[str], env: dict[str, str]) -> Sample:
    """Run one process to completion: wall time, CPU time of it and its children, and the
    peak resident memory of the whole process tree (sampled every 10 ms)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO
    )
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_rss, args=(process.pid, peak, done), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    # 1 is "findings"; an uncaught exception exits 1 too, with a traceback
    if process.returncode not in (0, 1) or "Traceback" in stderr:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stderr}")
    # ru_maxrss (kB) is the largest single process; the sampled sum covers worker pools
    rss_mb = max(peak[0], usage.ru_maxrss) / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss_mb)


def _sample_rss(pid: int, peak: list[int], done: threading.Event) -> None:
    while not done.wait(0.01):
        peak[0] = max(peak[0], sum(_rss_kb(p) for p in _tree(pid)))


def _tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        try:
            tasks = os.listdir(f"/proc/{pids[index]}/task")
            for task in tasks:
                with open(f"/proc/{pids[index]}/task/{task}/children") as handle:
                    pids.extend(int(child) for child in handle.read().split())
        except OSError:
            pass  # gone, or not Linux: ru_maxrss still gives the largest process
        index += 1
    return pids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def child_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["NO_COLOR"] = "1"
    env["CI"] = "1"  # no progress bar
    return env


def count_files(paths: Sequence[str]) -> int:
    from iamlint.discover import discover

    return sum(1 for _ in discover(paths))


def cases(
    quick: bool, work: Path, corpus: Path, sizes: Sequence[int], runs: int | None
) -> list[Case]:
    found: list[Case] = []
    precommit_runs = runs or (3 if quick else 10)
    for name, path in PRECOMMIT.items():
        if path.exists():
            found.append(Case(name, (str(path),), 1, precommit_runs, ("-f", str(path))))
    if not corpus.is_dir():
        print(f"{corpus} not found: the corpus case is skipped", file=sys.stderr)
    else:
        found.append(
            Case(
                "shared corpus",
                (str(corpus),),
                count_files([str(corpus)]),
                runs or (1 if quick else 5),
                ("-d", str(corpus)),
            )
        )
    for size in sizes:
        out = work / f"repo-{size}"
        make_repo(size, 1, out)
        found.append(
            Case(
                f"synthetic {size:,} files",
                (str(out),),
                count_files([str(out)]),
                runs or (1 if quick else 3 if size >= 10000 else 5),
                ("-d", str(out)),
            )
        )
    return found


def iamlint_command(case: Case, jobs: int) -> list[str]:
    return [sys.executable, "-m", "iamlint", "scan", "-f", "json", "--jobs", str(jobs), *case.paths]


def parse_command(case: Case) -> list[str]:
    return [sys.executable, str(BENCH / "parse_only.py"), *case.paths]


def checkov_command(checkov: Path, case: Case) -> list[str]:
    return [
        str(checkov),
        *case.checkov_target,
        "--framework",
        "terraform",
        "cloudformation",
        "--check",
        ",".join(CHECKOV_IAM_CHECKS),
        "--quiet",
        "--compact",
        "--skip-download",
        "-o",
        "json",
    ]


def install_checkov(venv: Path) -> tuple[Path | None, str]:
    """Checkov's executable in its own virtualenv (created when missing), or None and why."""
    checkov = venv / "bin" / "checkov"
    if not checkov.exists():
        print(f"installing Checkov into {venv} ...", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)],
                check=True,
            )
        except (OSError, subprocess.CalledProcessError) as error:
            return None, f"Checkov could not be installed ({error}); comparison skipped"
    try:
        version = subprocess.run(
            [str(checkov), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        return None, f"Checkov does not run ({error}); comparison skipped"
    return checkov, version


@dataclass
class Row:
    case: Case
    serial: Timings
    parallel: Timings
    parse: Timings
    checkov: Timings | None


def run_case(
    case: Case, jobs: int, env: dict[str, str], checkov: Path | None, skip_serial: bool
) -> Row:
    commands = {"parallel": iamlint_command(case, jobs), "parse": parse_command(case)}
    if not skip_serial:
        commands["serial"] = iamlint_command(case, 1)
    if checkov is not None:
        commands["checkov"] = checkov_command(checkov, case)
    timings = {name: Timings() for name in commands}
    for command in commands.values():
        measure(command, env)  # warm the file and bytecode caches
    for _ in range(case.runs):
        # alternate the tools run by run so machine load hits them alike
        for name, command in commands.items():
            timings[name].samples.append(measure(command, env))
    return Row(
        case,
        timings.get("serial", timings["parallel"]),
        timings["parallel"],
        timings["parse"],
        timings.get("checkov"),
    )


def table(rows: list[Row], jobs: int, checkov_version: str | None) -> str:
    python = platform.python_version()
    header = (
        f"Measured on {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {python}"
        + (f", {checkov_version}" if checkov_version else "")
        + ". Wall time: median (min–max) of whole-process runs, interpreter start included; "
        "CPU: user + system of all processes; memory: peak resident size of the process "
        "and its workers.\n\n"
    )
    columns = [
        "case",
        "files",
        "iamlint `--jobs 1`",
        f"iamlint `--jobs {jobs}`",
        "CPU",
        "files/s",
        "peak RSS",
        "parse only",
        "÷ parse",
    ]
    if checkov_version:
        columns += ["Checkov (IAM checks)", "Checkov CPU", "Checkov ÷ iamlint"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [
            row.case.name,
            f"{row.case.files:,}",
            row.serial.cell(),
            row.parallel.cell(),
            f"{row.parallel.cpu:.2f} s",
            f"{row.case.files / row.parallel.wall:,.0f}",
            f"{row.parallel.rss:.0f} MB",
            row.parse.cell(),
            f"{row.parallel.wall / row.parse.wall:.2f}×",
        ]
        if checkov_version and row.checkov is None:
            cells += [f"not run (over {CHECKOV_MAX_FILES:,} files)", "", ""]
        elif row.checkov is not None:
            cells += [
                row.checkov.cell(),
                f"{row.checkov.cpu:.2f} s",
                f"{row.checkov.wall / row.parallel.wall:.1f}×",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return header + "\n".join(lines) + "\n"


def update_readme(readme: Path, text: str) -> None:
    content = readme.read_text(encoding="utf-8")
    before, rest = content.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    readme.write_text(f"{before}{README_START}\n{text}{README_END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller repos, fewer runs")
    parser.add_argument("--compare", choices=["checkov"], help="also time Checkov")
    parser.add_argument(
        "--checkov-venv",
        type=Path,
        default=Path(tempfile.gettempdir()) / "iamlint-bench-checkov",
        help="virtualenv for Checkov (created when missing)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the shared corpus")
    parser.add_argument(
        "--sizes",
        type=lambda value: [int(size) for size in value.split(",")],
        help="synthetic repository sizes in files (default: 1000,10000; --quick: 300,1000)",
    )
    parser.add_argument("--runs", type=int, help="timed runs per case (default: by case)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="iamlint --jobs")
    parser.add_argument("--output", type=Path, help=f"write the table here (full run: {RESULTS})")
    parser.add_argument("--readme", type=Path, help="copy the table into this README")
    args = parser.parse_args(argv)

    checkov, checkov_version = None, None
    if args.compare == "checkov":
        checkov, message = install_checkov(args.checkov_venv)
        if checkov is None:
            print(message, file=sys.stderr)
        else:
            checkov_version = f"Checkov {message}"
    work = Path(tempfile.mkdtemp(prefix="iamlint-bench-"))
    try:
        env = child_env(work / "pycache")
        rows = []
        sizes = args.sizes or ((300, 1000) if args.quick else (1000, 10000))
        for case in cases(args.quick, work, args.corpus, sizes, args.runs):
            print(f"{case.name}: {case.files} files, {case.runs} runs", file=sys.stderr)
            compare = checkov if case.files <= CHECKOV_MAX_FILES else None
            rows.append(run_case(case, args.jobs, env, compare, skip_serial=case.files == 1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(rows, args.jobs, checkov_version)
    print(text)
    output = args.output or (None if args.quick else RESULTS)
    if output:
        output.write_text(text, encoding="utf-8")
    if args.readme:
        update_readme(args.readme, text)


if __name__ == "__main__":
    main()
