"""The ``communique`` command line.

Exit codes (documented in the README):
0 success; 1 the command ran but found a problem (some articles failed to
load, the store does not conform, nothing to remove); 2 an error (bad
option, bad query, unreadable store).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from communique import __version__
from communique.errors import CommuniqueError
from communique.settings import SETTINGS, Settings
from communique.store import Store, open_store
from communique.vocab import Iris

EXIT_OK, EXIT_PROBLEM, EXIT_ERROR = 0, 1, 2

stderr = Console(stderr=True, highlight=False)


class CliError(click.ClickException):
    exit_code = EXIT_ERROR


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.from_env()


def _open(settings: Settings, *, read_only: bool) -> Store:
    try:
        if read_only:
            Store.create_if_missing(settings.store, Iris(settings.base_iri))
        return Store(settings.store, Iris(settings.base_iri), read_only=read_only)
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communique")
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Store folder [env COMMUNIQUE_STORE].",
)
@click.option("--base-iri", default=None, help="Base of minted IRIs [env COMMUNIQUE_BASE_IRI].")
@click.option("--model", default=None, help="spaCy pipeline [env COMMUNIQUE_MODEL].")
@click.pass_context
def main(ctx: click.Context, store: Path | None, base_iri: str | None, model: str | None) -> None:
    """communique: a knowledge graph of diplomacy built from the news."""
    try:
        ctx.obj = Settings.from_env(store=store, base_iri=base_iri, model=model)
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
    help="Also remove stored articles loaded from files under PATHS that are gone.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Extraction worker processes [env COMMUNIQUE_LOAD_WORKERS; default: the cores].",
)
@click.pass_context
def load(
    ctx: click.Context,
    paths: tuple[Path, ...],
    report: Path | None,
    quiet: bool,
    prune: bool,
    workers: int | None,
) -> None:
    """Load articles (.txt, .md, .jsonl files or folders) into the store.

    Already stored articles (same text) are skipped without running the NLP; a
    changed article replaces its earlier version. The NLP runs in --workers
    processes while this one writes. Exits 0 when every article loaded (or was
    already stored), 1 when some failed (each is listed), 2 on an error.
    """
    from communique.loading import FAILED, count_inputs, load_paths
    from communique.loading import prune as prune_missing

    settings = _settings(ctx)
    if workers is not None:
        settings = settings.replace(load_workers=workers)
    store = _open(settings, read_only=False)
    try:
        with _progress(quiet) as progress:
            task = progress.add_task("loading", total=count_inputs(paths), triples=0)

            def on_outcome(outcome):  # type: ignore[no-untyped-def]
                triples = progress.tasks[task].fields["triples"] + outcome.triples
                progress.update(task, advance=1, triples=triples)
                if outcome.status == FAILED:
                    for problem in outcome.problems:
                        progress.console.print(
                            f"[red]failed[/] {outcome.origin}: {problem}",
                            markup=True,
                            soft_wrap=True,
                        )

            result = load_paths(
                paths, store, settings.model, on_outcome, workers=settings.load_workers
            )
        removed = prune_missing(store, paths) if prune else []
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    summary = result.summary()
    pruned = f", {len(removed)} pruned" if prune else ""
    click.echo(", ".join(f"{n} {status}" for status, n in summary.items()) + pruned)
    report = report or settings.store / "last-load-report.json"
    _write_report(report, result)
    if result.failures:
        click.echo(f"the failures are listed in {report}", err=True)
    elif not quiet:
        click.echo(f"report: {report}")
    ctx.exit(EXIT_PROBLEM if result.failures else EXIT_OK)


class _RateColumn(ProgressColumn):
    """Articles per second and triples per second."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        if elapsed <= 0:
            return Text("")
        return Text(
            f"{task.completed / elapsed:.1f} articles/s, "
            f"{task.fields.get('triples', 0) / elapsed:,.0f} triples/s"
        )


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        console=stderr,
        disable=quiet,
        transient=True,
    )


def _write_report(path: Path, result) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {
            "origin": o.origin,
            "status": o.status,
            "article": o.article_iri,
            "problems": list(o.problems),
        }
        for o in result.outcomes
    ]
    data = {"summary": result.summary(), "articles": rows}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    tmp.replace(path)


def _serve_options(command):  # type: ignore[no-untyped-def]
    """One option per server setting, from the settings table."""
    for spec in reversed([s for s in SETTINGS if s.is_serve]):
        kind = click.Path(path_type=Path) if spec.kind is Path else spec.kind
        command = click.option(
            spec.option, spec.name, type=kind, default=None, help=f"{spec.doc} [env {spec.env}]"
        )(command)
    return command


@main.command()
@_serve_options
@click.pass_context
def serve(ctx: click.Context, **options: object) -> None:
    """Serve the SPARQL endpoint, the query page and the home page (gunicorn)."""
    from communique.server.wsgi import prepare_store, serve_forever

    settings = _settings(ctx).replace(**{k: v for k, v in options.items() if v is not None})
    try:
        prepare_store(settings)
    except CommuniqueError as exc:
        raise CliError(str(exc)) from exc
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
    type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
    default="table",
    show_default=True,
    help="Output format for SELECT/ASK.",
)
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str) -> None:
    """Run a SPARQL query over the store (prefixes dip:, schema:, … predefined)."""
    from communique.querying import print_results

    settings = _settings(ctx)
    with _read_store(settings) as store:
        try:
            print_results(store, sparql, fmt, sys.stdout)
        except CommuniqueError as exc:
            raise CliError(str(exc)) from exc


def _read_store(settings: Settings):  # type: ignore[no-untyped-def]
    _open(settings, read_only=True).close()
    return open_store(settings.store, Iris(settings.base_iri), read_only=True)


@main.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Validate the whole store against the SHACL shapes.

    Exits 0 when it conforms, 1 when it does not (violations listed), 2 on error.
    """
    from communique.validate import validate_store

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
    type=click.Choice(["nquads", "trig", "ntriples", "turtle"]),
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
    from communique.dump import DUMP_FORMATS, dump_store

    name = output.name
    compressed = name.endswith(".gz") if gzip is None else gzip
    bare = name.removesuffix(".gz")
    chosen = fmt or next(
        (f.name for f in DUMP_FORMATS.values() if bare.endswith(f.suffix)), "nquads"
    )
    settings = _settings(ctx)
    with _read_store(settings) as store:
        dump_store(store, output, chosen, gzip=compressed)


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

    Exits 1 when nothing matches, 2 when the reference is ambiguous.
    """
    settings = _settings(ctx)
    store = _open(settings, read_only=False)
    try:
        matches = store.resolve_article(article)
        if len(matches) > 1:
            raise CliError(
                f"{article!r} matches {len(matches)} articles: "
                + ", ".join(matches)
                + "; give the full IRI"
            )
        if not matches:
            click.echo(f"no article matches {article!r}", err=True)
            ctx.exit(EXIT_PROBLEM)
        store.remove_article(matches[0])
        click.echo(f"removed {matches[0]}")
    finally:
        store.close()
