"""The ``communique`` command line.

Exit codes (documented in the README):
0 success; 1 the command ran but found a problem (some articles failed to
load, the store does not conform, nothing to remove); 2 an error (bad
option, bad query, unreadable store).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from communique import __version__
from communique.errors import CommuniqueError
from communique.formats import DUMP_FORMATS, SOLUTION_FORMATS
from communique.progress import print_failure, print_note, progress_bar
from communique.settings import SETTINGS, Settings, default_store_path
from communique.store.base import Store
from communique.store.opening import location_from_settings, open_from_settings
from communique.vocab import Iris

EXIT_OK, EXIT_PROBLEM, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class CliError(click.ClickException):
    exit_code = EXIT_ERROR


class Interrupted(click.ClickException):
    """Ctrl-C: one line, the shell's exit code for an interrupt, no traceback."""

    exit_code = EXIT_INTERRUPTED


class Commands(click.Group):
    """Every error a command meets ends it with one line on stderr and exit 2
    (1 where a command says so), never a traceback: a user's mistake names what
    to change, a failing disk says so, and a bug says it is one
    (``COMMUNIQUE_DEBUG=1`` shows its traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise Interrupted(
                "interrupted: every article written so far is stored whole; "
                "run the same command again to go on"
            ) from None
        except CommuniqueError as exc:
            raise CliError(str(exc)) from exc
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise CliError(f"{exc.strerror or exc}{where}") from exc
        except Exception as exc:
            if os.environ.get("COMMUNIQUE_DEBUG"):
                raise
            raise CliError(
                f"unexpected {type(exc).__name__}: {exc} (a bug in communique: please "
                "report it; COMMUNIQUE_DEBUG=1 shows where it happened)"
            ) from exc


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.from_env()


def _default_report(settings: Settings) -> Path:
    """Beside the embedded store; for an external one, in the user's data folder."""
    location = location_from_settings(settings)
    folder = location if isinstance(location, Path) else default_store_path().parent
    return folder / "last-load-report.json"


def _open(settings: Settings, *, read_only: bool, must_exist: bool = False) -> Store:
    try:
        return open_from_settings(settings, read_only=read_only, must_exist=must_exist)
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc


def _options_for(specs, *, minimum: int | None = None):  # type: ignore[no-untyped-def]
    """A decorator adding one option per setting, from the settings table; whole
    numbers below ``minimum``, when given, are refused."""

    def decorate(command):  # type: ignore[no-untyped-def]
        for spec in reversed(list(specs)):
            kind = click.Path(path_type=Path) if spec.kind is Path else spec.kind
            if spec.kind is int and minimum is not None:
                kind = click.IntRange(min=minimum)
            command = click.option(
                spec.option,
                spec.name,
                type=kind,
                default=None,
                help=f"{spec.doc} [env {spec.env}]",
            )(command)
        return command

    return decorate


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communique")
@_options_for(s for s in SETTINGS if s.is_global)
@click.pass_context
def main(ctx: click.Context, **options: object) -> None:
    """communique: a knowledge graph of diplomacy built from the news."""
    try:
        ctx.obj = Settings.from_env(**options)
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    default=None,
    help="Write a JSON report of every article's outcome to this file.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--prune",
    is_flag=True,
    help="Also remove stored articles loaded from files under PATHS that are gone "
    "(not one whose text, or a copy of it, this load met under another name).",
)
@_options_for((s for s in SETTINGS if s.is_load), minimum=1)
@click.pass_context
def load(
    ctx: click.Context,
    paths: tuple[Path, ...],
    report: Path | None,
    quiet: bool,
    prune: bool,
    **options: object,
) -> None:
    """Load articles (.txt, .md, .jsonl files or folders) into the store.

    Already stored articles (same text) are skipped without running the NLP; a
    changed article replaces its earlier version. The NLP runs in --workers
    processes while this one writes. Exits 0 when every article loaded (or was
    already stored), 1 when some failed (each is listed), 2 on an error.
    """
    from communique.load.pipeline import load_paths
    from communique.load.pipeline import prune as prune_missing
    from communique.loaders.read.readers import count_inputs

    settings = _settings(ctx).replace(**{k: v for k, v in options.items() if v is not None})
    store = _open(settings, read_only=False)
    try:
        with progress_bar(quiet) as progress:
            task = progress.add_task("loading", total=count_inputs(paths), triples=0)
            result = load_paths(
                paths,
                store,
                settings.model,
                _outcome_printer(progress, task),
                **_load_options(settings),
            )
        removed = prune_missing(store, paths, result.articles_met()) if prune else []
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:  # the store's disk is full, or gone
        raise CliError(f"cannot write the store at {settings.store}: {exc}") from exc
    finally:
        store.close()
    pruned = f", {len(removed)} pruned" if prune else ""
    click.echo(_counts(result.summary()) + pruned)
    _write_report(report or _default_report(settings), result, quiet)
    ctx.exit(EXIT_PROBLEM if result.failures else EXIT_OK)


INTERVAL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}  # seconds in each


class Interval(click.ParamType):
    """A span of time: 90, 90s, 15m, 2h or 1d."""

    name = "interval"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, float):
            return value
        text = str(value).strip().lower()
        unit = INTERVAL_UNITS.get(text[-1:]) if text else None
        number = text[:-1] if unit else text
        try:
            seconds = float(number) * (unit or 1)
        except ValueError:
            seconds = -1.0
        if not seconds > 0:  # NaN and negatives included
            self.fail(f"{value!r} is not a span of time: give 90s, 15m, 2h or 1d", param, ctx)
        return seconds


def _fetch_options(command):  # type: ignore[no-untyped-def]
    """The options `fetch` and `watch` share: what to fetch, how, and the load's."""
    command = _options_for((s for s in SETTINGS if s.is_fetch), minimum=0)(command)
    command = _options_for((s for s in SETTINGS if s.is_load), minimum=1)(command)
    command = click.option("--quiet", is_flag=True, help="No progress bar.")(command)
    command = click.option(
        "--report",
        type=click.Path(path_type=Path),
        default=None,
        help="Write a JSON report of every article's outcome to this file.",
    )(command)
    command = click.option(
        "--feeds",
        "feeds_file",
        type=click.Path(path_type=Path, dir_okay=False, exists=True),
        default=None,
        help="A file of feed addresses, one a line (# starts a comment line).",
    )(command)
    return click.argument("urls", nargs=-1)(command)


@main.command()
@_fetch_options
@click.pass_context
def fetch(
    ctx: click.Context,
    urls: tuple[str, ...],
    feeds_file: Path | None,
    report: Path | None,
    quiet: bool,
    **options: object,
) -> None:
    """Fetch pages, feeds and web archives (URLS, and the feeds in --feeds) and
    load what is new.

    Politely: robots.txt is obeyed, each host is asked at most once per
    --fetch-delay, and what was fetched before is asked for conditionally (ETag,
    Last-Modified), so a second run loads only what changed. Exits 0 when
    everything fetched loaded, 1 when some address or article failed (each is
    listed), 2 on an error.
    """
    if not urls and feeds_file is None:
        raise click.UsageError("give addresses to fetch, or --feeds FILE")
    settings = _settings(ctx).replace(**{k: v for k, v in options.items() if v is not None})
    failed = _fetch_round(settings, urls, feeds_file, report, quiet)
    ctx.exit(EXIT_PROBLEM if failed else EXIT_OK)


@main.command()
@_fetch_options
@click.option(
    "--every", type=Interval(), default="15m", show_default=True, help="Time between rounds."
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many rounds (default: run until stopped with Ctrl-C).",
)
@click.pass_context
def watch(
    ctx: click.Context,
    urls: tuple[str, ...],
    feeds_file: Path | None,
    report: Path | None,
    quiet: bool,
    every: float,
    rounds: int | None,
    **options: object,
) -> None:
    """Keep the store current: fetch, as `communique fetch` does, every --every.

    The feeds file is read again each round, so addresses can be added while it
    runs. A round's failures are listed and the next round goes on; Ctrl-C stops
    it between or during rounds (what was written stays whole).
    """
    import time
    from datetime import datetime

    if not urls and feeds_file is None:
        raise click.UsageError("give addresses to watch, or --feeds FILE")
    settings = _settings(ctx).replace(**{k: v for k, v in options.items() if v is not None})
    done = 0
    try:
        while rounds is None or done < rounds:
            if done:
                time.sleep(every)
            click.echo(f"round {done + 1}, {datetime.now().isoformat(timespec='seconds')}")
            _fetch_round(settings, urls, feeds_file, report, quiet)
            done += 1
    except KeyboardInterrupt:
        click.echo(f"stopped after {done} rounds")


def _fetch_round(
    settings: Settings,
    urls: tuple[str, ...],
    feeds_file: Path | None,
    report: Path | None,
    quiet: bool,
) -> bool:
    """One fetch and load; prints what it did; True when something failed."""
    from communique.load.fetching import Sources, fetch_and_load
    from communique.loaders.fetch.crawl import read_address_list
    from communique.loaders.fetch.record import FILE_NAME, FetchRecord

    feeds, bad_lines = read_address_list(feeds_file) if feeds_file else ([], [])
    bad_urls = [u for u in urls if not u.startswith(("http://", "https://"))]
    for problem in bad_lines:
        click.echo(f"failed {problem}", err=True)
    for url in bad_urls:
        click.echo(f"failed {url}: is not an http or https address", err=True)
    store = _open(settings, read_only=False)
    record = FetchRecord(_default_report(settings).with_name(FILE_NAME))
    try:
        with progress_bar(quiet) as progress:
            task = progress.add_task("fetching", total=None, triples=0)
            result = fetch_and_load(
                Sources([u for u in urls if u not in bad_urls], feeds),
                store,
                record,
                _politeness(settings),
                settings.model,
                _outcome_printer(progress, task),
                **_load_options(settings),
            )
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:  # the store's disk is full, or gone
        raise CliError(f"cannot write the store at {settings.store}: {exc}") from exc
    finally:
        record.close()
        store.close()
    click.echo(f"{_counts(result.load.summary())}; addresses: {_counts(result.visit_summary())}")
    _write_report(report or _default_report(settings), result.load, quiet)
    return bool(result.load.failures or bad_lines or bad_urls)


def _politeness(settings: Settings):  # type: ignore[no-untyped-def]
    from communique.loaders.fetch.client import DEFAULT_USER_AGENT, Politeness

    return Politeness(
        user_agent=settings.user_agent or DEFAULT_USER_AGENT,
        delay=settings.fetch_delay,
        timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_mb * 1_000_000,
        max_redirects=settings.fetch_redirects,
        retries=settings.fetch_retries,
    )


def _load_options(settings: Settings) -> dict[str, Any]:
    """The load's options (``LoadOptions``) as the settings give them."""
    from communique.loaders.read.readers import ReadLimits

    return {
        "workers": settings.load_workers,
        "batch_size": settings.load_batch,
        "limits": ReadLimits(settings.max_input_mb * 1_000_000),
        "article_timeout": settings.article_timeout,
        "min_confidence": settings.min_confidence,
    }


def _outcome_printer(progress, task):  # type: ignore[no-untyped-def]
    """What a load prints of each outcome: the bar moves, failures and notes show."""
    from communique.load.report import FAILED

    def on_outcome(outcome):  # type: ignore[no-untyped-def]
        triples = progress.tasks[task].fields["triples"] + outcome.triples
        progress.update(task, advance=1, triples=triples)
        if outcome.status == FAILED:
            for problem in outcome.problems:
                print_failure(progress, outcome.origin, problem)
        for note in outcome.notes:
            print_note(progress, outcome.origin, note)

    return on_outcome


def _counts(summary: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in summary.items())


def _write_report(path: Path, result, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    from communique.load.report import write_report

    write_report(path, result)
    if result.failures:
        click.echo(f"the failures are listed in {path}", err=True)
    elif not quiet:
        click.echo(f"report: {path}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the shards and their manifest (reachable by every cluster worker).",
)
@click.option(
    "--cluster",
    default=None,
    metavar="ADDRESS",
    help="Dask scheduler to run on (tcp://HOST:8786); default: local worker processes.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes when there is no --cluster [env COMMUNIQUE_LOAD_WORKERS].",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[Path, ...],
    out: Path,
    cluster: str | None,
    workers: int | None,
    quiet: bool,
) -> None:
    """Extract articles into compressed N-Quads shards in OUT, for `load-shards`.

    Articles already listed in OUT's manifest are skipped, so an interrupted run
    is finished by running it again. Exits 1 when some articles failed (each is
    listed, and recorded in the manifest), 2 on an error.
    """
    from communique.load.cluster import extract as run_extract
    from communique.loaders.read.readers import count_inputs

    settings = _settings(ctx)
    try:
        with progress_bar(quiet) as progress:
            task = progress.add_task("extracting", total=count_inputs(paths), triples=0)

            def on_entries(entries):  # type: ignore[no-untyped-def]
                triples = progress.tasks[task].fields["triples"] + sum(e.triples for e in entries)
                progress.update(task, advance=len(entries), triples=triples)
                for entry in entries:
                    for problem in entry.problems:
                        print_failure(progress, entry.origin, problem)

            report = run_extract(
                paths,
                out,
                model=settings.model,
                base_iri=settings.base_iri,
                cluster=cluster,
                workers=workers or settings.load_workers,
                progress=on_entries,
            )
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    click.echo(
        f"{report.extracted} extracted, {report.unchanged} unchanged, "
        f"{len(report.failed)} failed; {report.triples:,} triples in {out}"
    )
    ctx.exit(EXIT_PROBLEM if report.failed else EXIT_OK)


@main.command("load-shards")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def load_shards_command(ctx: click.Context, folder: Path, quiet: bool) -> None:
    """Bulk-load the shards `extract` wrote to FOLDER into the store.

    Uses the embedded store's bulk loader, or an external store's Graph Store
    endpoint. Articles already stored are skipped; an interrupted run is
    finished by running it again. An article whose story is stored already (or
    comes earlier in the shards) is recorded as one of its sources, as `load`
    does. Not atomic per article: load while no server reads the store, or use
    `load`. A shard that cannot be read is named and its articles left out; the
    others load. Exits 1 when a shard could not be read or a copy's record was
    refused.
    """
    from communique.load.bulk import load_shards
    from communique.load.shards import read_manifest

    settings = _settings(ctx)
    store = _open(settings, read_only=False)
    try:
        total = len({e.identifier for e in read_manifest(folder) if e.ok})
        with progress_bar(quiet) as progress:
            task = progress.add_task("loading shards", total=total, triples=0)
            report = load_shards(folder, store, lambda n: progress.update(task, advance=n))
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    for entry in report.refused:
        click.echo(f"{entry.origin}: {'; '.join(entry.problems)}", err=True)
    for problem, members in report.damaged:
        click.echo(f"{problem} ({len(members)} articles not loaded)", err=True)
    not_loaded = sum(len(members) for _, members in report.damaged)
    click.echo(
        f"{report.loaded} loaded, {report.replaced} replaced, {report.copied} copied, "
        f"{report.unchanged} unchanged; {report.quads:,} quads"
        + (f"; {len(report.failed)} articles had failed to extract" if report.failed else "")
        + (f"; {len(report.refused)} copies refused" if report.refused else "")
        + (f"; {not_loaded} articles in damaged shards" if report.damaged else "")
    )
    ctx.exit(EXIT_PROBLEM if report.refused or report.damaged else EXIT_OK)


@main.command()
@_options_for(s for s in SETTINGS if s.is_serve)
@click.pass_context
def serve(ctx: click.Context, **options: object) -> None:
    """Serve the SPARQL endpoint, the query page and the home page (gunicorn)."""
    from communique.server.wsgi import port_taken, prepare_store, serve_forever

    settings = _settings(ctx).replace(**{k: v for k, v in options.items() if v is not None})
    if port_taken(settings.host, settings.port):
        raise CliError(
            f"port {settings.port} on {settings.host} is already in use (another "
            "communique serve?); stop that process or choose another with --port"
        )
    try:
        warning = prepare_store(settings)
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    if warning:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"communique serving {settings.store} at http://{settings.host}:{settings.port}/",
        err=True,
    )
    serve_forever(settings)


@main.command()
@click.argument("sparql")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *SOLUTION_FORMATS]),
    default="table",
    show_default=True,
    help="Output format for SELECT/ASK.",
)
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str) -> None:
    """Run a SPARQL query over the store (prefixes dip:, schema:, … predefined)."""
    from communique.query.results import print_results

    settings = _settings(ctx)
    with _read_store(settings) as store:
        try:
            print_results(store, sparql, fmt, sys.stdout)
        except CommuniqueError as exc:
            raise CliError(str(exc)) from exc


@contextlib.contextmanager
def _read_store(settings: Settings) -> Iterator[Store]:
    store = _open(settings, read_only=True, must_exist=True)
    try:
        yield store
    finally:
        store.close()


@main.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Validate the whole store against the SHACL shapes.

    Exits 0 when it conforms, 1 when it does not (violations listed), 2 on error.
    """
    from communique.validation.shapes import validate_store

    settings = _settings(ctx)
    with _read_store(settings) as store:
        violations = validate_store(store)
    for violation in violations:
        click.echo(str(violation))
    if violations:
        click.echo(f"{len(violations)} violation(s): the store does not conform", err=True)
        ctx.exit(EXIT_PROBLEM)
    click.echo("the store conforms to the shapes")


@main.command()
@click.argument("output", type=click.Path(path_type=Path, allow_dash=True), default="-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DUMP_FORMATS)),
    default=None,
    help="Default: from OUTPUT's suffix (.nq, .trig, .nt, .ttl), else nquads.",
)
@click.option("--gzip/--no-gzip", default=None, help="Compress; default: when OUTPUT ends in .gz.")
@click.pass_context
def dump(ctx: click.Context, output: Path, fmt: str | None, gzip: bool | None) -> None:
    """Write the whole dataset to OUTPUT (default: stdout).

    N-Quads and TriG keep each article's named graph; N-Triples and Turtle
    hold the union of all graphs.
    """
    from communique.dump import dump_store

    name = output.name
    compressed = name.endswith(".gz") if gzip is None else gzip
    bare = name.removesuffix(".gz")
    chosen = fmt or next(
        (f.name for f in DUMP_FORMATS.values() if bare.endswith(f.suffix)), "nquads"
    )
    if str(output) != "-" and not output.parent.is_dir():
        raise CliError(f"cannot write {output}: there is no folder {output.parent}")
    settings = _settings(ctx)
    with _read_store(settings) as store:
        dump_store(store, output, chosen, gzip=compressed)


@main.group()
def export() -> None:
    """Tables out of the graph, for pandas, R, spreadsheets and PLOVER tools."""


@export.command("events")
@click.argument("output", type=click.Path(path_type=Path, allow_dash=True), default="-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", "plover-json"]),
    default=None,
    help="Default: from OUTPUT's suffix (.csv, .parquet, .jsonl), else csv.",
)
@click.option("--from", "start", default=None, help="First day (2025-03-14) or month (2025-03).")
@click.option("--to", "end", default=None, help="Last day or month (inclusive).")
@click.option(
    "--actor",
    default=None,
    help="Only events this actor takes part in: a path (country/SY) or an IRI; a "
    "country's include its officials' and nationals'.",
)
@click.option(
    "--type", "types", multiple=True, help="A PLOVER type (CONSULT, AGREE, …); repeatable."
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Only events at least this likely to be right.",
)
@click.pass_context
def export_events(
    ctx: click.Context,
    output: Path,
    fmt: str | None,
    start: str | None,
    end: str | None,
    actor: str | None,
    types: tuple[str, ...],
    min_confidence: float,
) -> None:
    """Write one row per event to OUTPUT (default: stdout): date and its
    precision, actors with their countries and sectors, PLOVER and CAMEO codes,
    status, place and coordinates, confidence, sources, the sentence, the
    article. The columns are listed in docs/export.md.

    A file is written whole or not at all (to a temporary name, then renamed).
    """
    from communique.export.events import EventFilter, Exporter, day_of
    from communique.export.writers import EXPORT_FORMATS

    chosen = fmt or next(
        (f.name for f in EXPORT_FORMATS.values() if output.name.endswith(f.suffix)), "csv"
    )
    to_stdout = str(output) == "-"
    if to_stdout and chosen == "parquet" and sys.stdout.isatty():
        raise CliError("Parquet is binary: give a file name (events.parquet), or redirect")
    if not to_stdout and not output.parent.is_dir():
        raise CliError(f"cannot write {output}: there is no folder {output.parent}")
    settings = _settings(ctx)
    try:
        wanted = EventFilter(
            start=day_of(start) if start else None,
            end=day_of(end, end=True) if end else None,
            actor=Iris(settings.base_iri).reference(actor) if actor else None,
            types=tuple(t.upper() for t in types),
            min_confidence=min_confidence,
        )
        with _read_store(settings) as store:
            rows = Exporter(store).rows(wanted)
            count = _write_whole(output, lambda out: EXPORT_FORMATS[chosen].write(rows, out))
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    if not to_stdout:
        click.echo(f"{count:,} events written to {output}", err=True)


def _write_whole(output: Path, write):  # type: ignore[no-untyped-def]
    """Write to stdout, or to a temporary file renamed to ``output`` once whole."""
    if str(output) == "-":
        return write(sys.stdout.buffer)
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") as out:
            count = write(out)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return count


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """How many articles, actors, events, statements and quads the store holds."""
    settings = _settings(ctx)
    with _read_store(settings) as store:
        figures = {**store.counts(), "last_modified": store.state().get("last_modified")}
    if as_json:
        click.echo(json.dumps(figures))
        return
    for name, value in figures.items():
        click.echo(f"{name:>14}: {value}")


@main.command()
@click.argument("article")
@click.pass_context
def remove(ctx: click.Context, article: str) -> None:
    """Remove an article: by IRI, content hash (or its prefix) or source identifier.

    An article's recorded copies (the same story from other outlets) go with it;
    a copy named on its own is taken out of its article's sources, and the
    article stays. Exits 1 when nothing matches, 2 when the reference is
    ambiguous.
    """
    if not article.strip():
        raise CliError("name the article to remove: its IRI, content hash (prefix) or source id")
    settings = _settings(ctx)
    store = _open(settings, read_only=False, must_exist=True)
    try:
        articles = store.resolve_article(article)
        copies = [] if articles else store.resolve_copy(article)  # (copy, its article)
        matches = articles or [copy for copy, _ in copies]
        if len(matches) > 1:
            raise CliError(
                f"{article!r} matches {len(matches)} articles: "
                + ", ".join(matches)
                + "; give the full IRI"
            )
        if not matches:
            click.echo(f"no article matches {article!r}", err=True)
            ctx.exit(EXIT_PROBLEM)
        if articles:
            copied = store.copies_of(articles[0])
            store.remove_article(articles[0])
            click.echo(f"removed {articles[0]}{_with_copies(copied)}")
        else:
            copy, owner = copies[0]
            store.remove_copy(copy)
            click.echo(f"removed the copy {copy} from the sources of {owner}")
    finally:
        store.close()


def _with_copies(count: int) -> str:
    if count == 0:
        return ""
    return " and its copy" if count == 1 else f" and its {count} copies"
