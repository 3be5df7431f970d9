"""Run the independent jobs of a scan in worker processes.

Results come back in the order of the jobs whatever the number of workers, and
`scan.finish` sorts everything, so the report is byte-for-byte the same for
every `--jobs`. Small scans run in process: starting workers costs more than
it saves below `MIN_BYTES` of input (measured with `bench/run.py`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from iamlint.scan import ScanJob, ScanOptions, UnitResult

# Below this much input a scan runs in process. A forked worker is ready in
# about 10 ms, and iamlint reads about 100 kB of Terraform (600 kB of
# CloudFormation) per second and core; so under 64 kB the second core saves
# less than the workers cost.
MIN_BYTES = 64 * 1024
# Jobs handed to a worker at a time: small enough to balance a few slow
# Terraform modules across workers, large enough to amortise the round trip.
CHUNKS_PER_WORKER = 8
# Exercises the HCL lexer's common states (blocks, strings, templates, lists, heredocs).
WARM_UP_HCL = 'resource "a" "b" {\n  x = "${y}-z"\n  l = [1, {k = true}]\n  h = <<EOF\nt\nEOF\n}\n'

# Set in each worker by `_init_worker`: sent once per worker, not with every job.
_options: ScanOptions | None = None
_run: Callable[[ScanJob, ScanOptions], UnitResult] | None = None


def default_workers() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def workers_for(jobs: Sequence[ScanJob], requested: int) -> int:
    """How many processes to use: 1 (in process) for a single job or a small scan."""
    if requested <= 1 or len(jobs) < 2:
        return 1
    if input_bytes(jobs) < MIN_BYTES:
        return 1
    return min(requested, len(jobs))


def input_bytes(jobs: Sequence[ScanJob]) -> int:
    total = 0
    for job in jobs:
        for candidate in job.unit.candidates:
            try:
                total += os.path.getsize(candidate.path)
            except OSError:
                continue  # reported by the job itself
    return total


def run_jobs(
    jobs: Sequence[ScanJob],
    options: ScanOptions,
    workers: int,
    run: Callable[[ScanJob, ScanOptions], UnitResult],
) -> Iterator[UnitResult]:
    """Each job's result, in the order of `jobs`."""
    if workers <= 1:
        for job in jobs:
            yield run(job, options)
        return
    chunksize = max(1, len(jobs) // (workers * CHUNKS_PER_WORKER))
    _warm_up(jobs)
    with _context().Pool(workers, _init_worker, (options, run)) as pool:
        yield from pool.imap(_run_one, jobs, chunksize)


def _warm_up(jobs: Sequence[ScanJob]) -> None:
    """Import the sources and build the HCL parser once, before the workers fork, so they
    share it instead of each paying ~0.1 s for the grammar and its lexer regexes."""
    if any(not job.unit.terraform for job in jobs):
        import iamlint.sources.cloudformation  # noqa: F401
    if any(job.unit.terraform for job in jobs):
        from iamlint.sources.terraform import hcl

        hcl.parse(hcl.SourceFile("warm-up.tf", "warm-up.tf", WARM_UP_HCL))


def _context() -> BaseContext:
    # Imported here: multiprocessing is not needed by the scans that run in process.
    import multiprocessing

    # Forked workers inherit the imported modules and rules: no start-up per worker.
    # Elsewhere (macOS, Windows) fork is unsafe or missing; use the platform default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _init_worker(options: ScanOptions, run: Callable[[ScanJob, ScanOptions], UnitResult]) -> None:
    global _options, _run
    _options, _run = options, run


def _run_one(job: ScanJob) -> UnitResult:
    assert _options is not None and _run is not None
    return _run(job, _options)
