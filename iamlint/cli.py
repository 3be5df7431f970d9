"""The `iamlint` command line (contract: cli.md)."""

from __future__ import annotations

import os
import sys

import click

from iamlint import __version__
from iamlint.model import SEVERITIES
from iamlint.registry import all_rules, find_rule, select_rules


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="iamlint", message="%(prog)s %(version)s")
def cli() -> None:
    """iamlint: a static least-privilege linter for IAM in infrastructure code."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"], case_sensitive=False),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES, case_sensitive=False),
    help="Lowest severity that makes the exit code 1 (default: low).",
)
@click.option("--select", multiple=True, help="Rule ids or slugs to run (comma-separated).")
@click.option("--ignore", multiple=True, help="Rule ids or slugs to skip (comma-separated).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Configuration file (default: .iamlint.yaml or [tool.iamlint] found upward).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Report only findings not recorded in this baseline.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file.",
)
@click.option(
    "--sarif-category",
    default="iamlint",
    show_default=True,
    help="SARIF automationDetails.id prefix (GitHub code scanning category).",
)
@click.option(
    "--warn-unused-suppressions", is_flag=True, help="Warn about suppressions that match nothing."
)
@click.option("--verbose", is_flag=True, help="Also list the policy elements left unresolved.")
@click.option(
    "--var-file",
    "var_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Terraform variable file applied to every root module (repeatable).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes (default: the number of CPUs; 1 runs in process).",
)
@click.option("--debug", is_flag=True, help="Print the traceback of internal errors on stderr.")
def scan(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    baseline_path: str | None,
    write_baseline: str | None,
    sarif_category: str,
    warn_unused_suppressions: bool,
    verbose: bool,
    var_files: tuple[str, ...],
    jobs: int | None,
    debug: bool,
) -> None:
    """Lint every supported file below PATHS (default: the current directory)."""
    from iamlint.baseline import BaselineError, new_findings, read_baseline
    from iamlint.baseline import write_baseline as save_baseline
    from iamlint.config import Config, ConfigError, find_config, load_config
    from iamlint.parallel import default_workers
    from iamlint.report import render
    from iamlint.report.options import RenderOptions
    from iamlint.scan import scan as run_scan

    paths = paths or (".",)
    try:
        found = config_path or find_config(paths[0])
        config = load_config(found) if found else Config()
        known = read_baseline(baseline_path) if baseline_path else None
    except (ConfigError, BaselineError) as error:
        raise click.UsageError(str(error)) from error
    for name in [*(config.select or ()), *(e.rule for e in config.ignore), *config.severity]:
        if find_rule(name) is None:
            raise click.UsageError(f"{config.source}: unknown rule {name!r} (see `iamlint rules`)")
    try:
        rules = select_rules(
            _split(select) or (list(config.select) if config.select is not None else None),
            _split(ignore) or [entry.rule for entry in config.ignore if entry.path is None],
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    # config var_files are relative to the config file's directory
    config_directory = os.path.dirname(os.path.abspath(config.source or "."))
    report = run_scan(
        paths,
        rules,
        config=config,
        warn_unused_suppressions=warn_unused_suppressions,
        var_files=[*(os.path.join(config_directory, f) for f in config.var_files), *var_files],
        progress=ProgressBar() if _interactive_stderr() else None,
        jobs=jobs or default_workers(),
        debug=debug,
    )
    if write_baseline:
        save_baseline(write_baseline, report.findings)
    if known is not None:
        report.findings = new_findings(report.findings, known)
    for notice in report.notices:
        click.echo(f"{notice.file}:{notice.line}: warning: {notice.message}", err=True)
    options = RenderOptions(
        color=output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        sarif_category=sarif_category,
        verbose=verbose,
    )
    rendered = render(output_format.lower(), report, options)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(rendered)
    else:
        click.echo(rendered, nl=False)
    threshold = SEVERITIES.index((fail_on or config.fail_on or "low").lower())
    failing = any(SEVERITIES.index(f.severity) <= threshold for f in report.findings)
    sys.exit(1 if failing or report.errors else 0)


def _interactive_stderr() -> bool:
    """A person watches stderr: a terminal, and not a CI log."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class ProgressBar:
    """A one-line progress bar on stderr, shown only for scans of many units."""

    MIN_UNITS = 200
    WIDTH = 30

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_UNITS:
            return
        filled = self.WIDTH * done // total
        line = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total} units"
        # The finished bar is erased so the report starts on a clean line.
        text = "\r" + (" " * len(line) + "\r" if done == total else line)
        click.echo(text, err=True, nl=False)


@cli.command("rules")
def list_rules() -> None:
    """List every rule: id, slug, severity and title."""
    for rule in all_rules():
        click.echo(f"{rule.id}  {rule.slug:<36} {rule.severity:<9} {rule.title}")


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation of RULE (an id such as IAM004, or a slug)."""
    found = find_rule(rule)
    if found is None:
        raise click.UsageError(f"unknown rule {rule!r} (see `iamlint rules`)")
    click.echo(f"# {found.id} {found.slug} ({found.severity})\n\n{found.title}\n")
    click.echo(found.documentation)


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors are one line on stderr and exit code 2."""
    try:
        cli.main(args=argv, prog_name="iamlint", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help())
        sys.exit(0)
    except click.UsageError as error:
        click.echo(f"iamlint: error: {error.format_message()}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"iamlint: error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    sys.exit(0)
