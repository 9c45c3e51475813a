"""The marsad command line: ingest, look, export, evaluate, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import Errors
from ..store import DEFAULT_STORE, open_store, store_label
from .display import bidi_wanted, show

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="marsad — Arabic news to conflict event data.")
err = Console(stderr=True)
StoreOpt = typer.Option(DEFAULT_STORE, "--store", "-s", envvar="MARSAD_STORE",
                        help="DuckDB file, duckdb:///path, or postgresql:// URL.")


def _open(store: str, read_only: bool = False):
    try:
        return open_store(store, read_only=read_only)
    except Exception as exc:
        reason = str(exc).replace(store, store_label(store))  # never the URL: it may carry a password
        line = escape(Errors.E202.format(store=store_label(store), reason=reason))
        err.print(f"[red]marsad: {line}[/red]", highlight=False)
        raise typer.Exit(2)


def _reference_date(value: Optional[str]) -> Optional[str]:
    if value:
        import datetime as _dt

        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            err.print(f"[red]marsad: --reference-date must be YYYY-MM-DD, not {value!r}[/red]")
            raise typer.Exit(2)
    return value


ReferenceOpt = typer.Option(
    None, "--reference-date", help="Roughly when the articles were published (YYYY-MM-DD): chooses among "
    "the dates an article's own evidence allows. Default: the run's median known date.")
PathsArg = typer.Argument(..., readable=False,  # an unreadable path is an error line, not a usage error
                          help="Files or folders: .txt, .html, .jsonl, RSS/Atom.")


@app.command()
def ingest(
    paths: List[Path] = PathsArg,
    store: str = StoreOpt,
    workers: int = typer.Option(1, "--workers", "-w", help="Dask worker processes (1 = in this process)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a Dask scheduler."),
    no_stories: bool = typer.Option(False, "--no-stories", help="Skip story clustering."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    reference_date: Optional[str] = ReferenceOpt,
):
    """Read articles, extract entities, places, events and figures, and store them."""
    from ..run import RunOptions

    options = RunOptions(reference_date=_reference_date(reference_date), stories=not no_stories)
    if workers > 1 or scheduler:
        from ..scale import dask_ingest

        summary = dask_ingest.ingest_parallel(paths, store, workers=workers, scheduler=scheduler,
                                              stories=not no_stories, progress=not quiet, options=options)
        _print_lines(summary)
        _print_summary(summary)
        raise typer.Exit(0 if summary.ok else 1)

    from ..run import ingest as run_ingest

    s = _open(store)
    with _progress(quiet, paths) as progress:
        pipeline = options.pipeline()
        progress.working("ingesting")
        summary = run_ingest(paths, s, options, pipeline=pipeline, on_item=progress.on_item)
    s.close()
    _print_lines(summary, errors=not progress.live_shown)
    _print_summary(summary)
    raise typer.Exit(0 if summary.ok else 1)


class _progress:
    """The progress bar of a run in this process (shown on a terminal unless ``quiet``; its total is the count
    of the inputs once known); errors are printed as they come while it shows."""

    def __init__(self, quiet: bool, paths=None):
        from .display import make_progress

        self.live_shown = not quiet and err.is_terminal
        self.paths = paths
        self.bar = make_progress(err, None, disable=not self.live_shown)

    def __enter__(self) -> "_progress":
        self.bar.__enter__()
        self.task = self.bar.add_task("loading models", total=None, status="")
        return self

    def on_item(self, item, status) -> None:
        self.bar.advance(self.task)
        if status == "error" and self.live_shown:
            self.bar.console.print(f"[red]error:[/red] {item}", soft_wrap=True, markup=False, highlight=False)
        self.bar.update(self.task, status=status)

    def working(self, description: str) -> None:
        from .display import count_inputs

        total = count_inputs(self.paths) if self.live_shown and self.paths else None
        self.bar.update(self.task, description=description, total=total)

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)


def _print_lines(summary, errors: bool = True) -> None:
    """Every input not read and every article not processed (one line each, naming it), then every warning."""
    if errors:
        for e in summary.errors:
            err.print(f"error: {e}", soft_wrap=True, markup=False, highlight=False)
    for w in getattr(summary, "warnings", []):
        err.print(f"warning: {w}", soft_wrap=True, markup=False, highlight=False)


def _print_summary(summary) -> None:
    colour = "green" if summary.ok else "red"
    err.print(f"[{colour}]read {summary.read} articles: {summary.stored} new, {summary.skipped} already stored; "
              f"{summary.events} events, {summary.figures} figures, {summary.stories} stories updated; "
              f"{len(summary.errors)} errors; {summary.seconds:.1f} s[/{colour}]")


FromOpt = typer.Option(None, "--from", help="Events on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).")
ToOpt = typer.Option(None, "--to", help="Events on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).")
PlaceOpt = typer.Option(None, "--place", help="A place id or name (Arabic or English) the event is at.")
GovOpt = typer.Option(None, "--governorate", help="A Syrian governorate: Arabic or English name, or p-code.")
ActorOpt = typer.Option(None, "--actor", help="An actor code (RUS, SYR.GOV…) or a name read in the article.")
TypeOpt = typer.Option(None, "--type", "-t", help="PLOVER type(s), comma-separated, e.g. ASSAULT,PROTEST.")


def _filter(s, date_from, date_to, type, actor, place, governorate, fused):
    """The store filter for the shared options; a bad value is an error naming what to give (exit 2)."""
    from ..store.export import ExportError, event_filter

    try:
        return event_filter(s, date_from, date_to, type, actor, place, governorate, fused=fused)
    except ExportError as exc:
        s.close()
        err.print(f"[red]marsad: {exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)


@app.command()
def analyze(
    paths: List[Path] = PathsArg,
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write ('-' for standard output)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    reference_date: Optional[str] = ReferenceOpt,
):
    """Analyse articles without a store: one JSON line per article (metadata, publication date with its
    evidence, entities, places, events, figures), through the same run as ingest."""
    from ..readers import read_paths
    from ..run import Run, RunOptions, document_record

    options = RunOptions(reference_date=_reference_date(reference_date), stories=False)
    out = sys.stdout if str(output) == "-" else None
    try:
        fh = out or open(output, "w", encoding="utf-8")
    except OSError as exc:
        err.print(f"[red]marsad analyze: cannot write {output}: {exc.strerror or exc}[/red]")
        raise typer.Exit(2)
    try:
        def write(doc) -> None:
            fh.write(json.dumps(document_record(doc), ensure_ascii=False) + "\n")

        with _progress(quiet or out is not None, paths) as progress:
            pipeline = options.pipeline()
            progress.working("analysing")
            run = Run(None, options, pipeline=pipeline, on_item=progress.on_item, on_doc=write)
            summary = run.feed(read_paths(paths))
    finally:
        if out is None:
            fh.close()
    _print_lines(summary, errors=not progress.live_shown)
    colour = "green" if summary.ok else "red"
    err.print(f"[{colour}]read {summary.read} articles: {summary.stored} analysed, {summary.skipped} repeated; "
              f"{summary.events} events, {summary.figures} figures; {len(summary.errors)} errors; "
              f"{summary.seconds:.1f} s[/{colour}]")
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def events(
    store: str = StoreOpt,
    date_from: Optional[str] = FromOpt, date_to: Optional[str] = ToOpt, type: Optional[str] = TypeOpt,
    actor: Optional[str] = ActorOpt, place: Optional[str] = PlaceOpt, governorate: Optional[str] = GovOpt,
    fused: bool = typer.Option(False, "--fused", help="Show events fused across outlets instead of per report."),
    limit: int = typer.Option(50, "--limit", "-n", min=1),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
):
    """List events as a table (Arabic shaped for the terminal), filtered in the store."""
    from .display import events_table

    s = _open(store, read_only=True)
    flt = _filter(s, date_from, date_to, type, actor, place, governorate, fused)
    where, params = flt.where()
    total = s.scalar(f"SELECT COUNT(*) FROM events e{where}", params) or 0
    rows = s.query(
        "SELECT e.id, e.event_date, e.date_precision, e.type, e.mode, e.modality, e.actor_text, e.recipient_text,"
        " e.actor, e.recipient, e.places, e.evidence_text, articles.outlet, e.record FROM events e"
        f" LEFT JOIN articles ON articles.id = e.article_id{where} ORDER BY e.event_date, e.id LIMIT ?",
        [*params, limit])
    ids = sorted({p for r in rows for p in json.loads(r["places"] or "[]")})
    names = {x["id"]: x["name"] for x in s.query(  # place names, not ids, for the reader
        f"SELECT id, MIN(name) AS name FROM places WHERE id IN ({', '.join('?' * len(ids))}) GROUP BY id", ids)} if ids else {}
    s.close()
    if as_json:
        for r in rows:
            print(r["record"])
        return
    for r in rows:
        r["place_names"] = [names.get(p, p) for p in json.loads(r["places"] or "[]")]
    kind = "fused events" if fused else "events (one per report)"
    title = f"{len(rows)} of {total} {kind}" if total > len(rows) else f"{total} {kind}"
    Console().print(events_table(rows, title, bidi_wanted()))


@app.command()
def export(
    format: str = typer.Option("csv", "--format", "-f", help="csv | jsonl | geojson | parquet"),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
    view: str = typer.Option("acled", "--view", help="acled | events | figures | articles"),
    date_from: Optional[str] = FromOpt, date_to: Optional[str] = ToOpt, type: Optional[str] = TypeOpt,
    actor: Optional[str] = ActorOpt, place: Optional[str] = PlaceOpt, governorate: Optional[str] = GovOpt,
    store: str = StoreOpt,
):
    """Export events (ACLED view by default), figures or articles; filters are applied in the store."""
    from ..store.export import ExportError, export as run_export

    s = _open(store, read_only=True)
    filtered = any(v for v in (date_from, date_to, type, actor, place, governorate))
    flt = _filter(s, date_from, date_to, type, actor, place, governorate, None if view == "events" else False) \
        if filtered else None
    try:
        res = run_export(s, view=view, fmt=format, path=output, flt=flt)
    except ExportError as exc:
        err.print(f"[red]marsad export: {exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)
    finally:
        s.close()
    msg = f"wrote {res.rows} {view} rows to {output}"
    if format == "geojson" and res.left_out:
        msg += f"; {res.left_out} rows without coordinates left out of the GeoJSON"
    if res.not_coded:
        msg += "; events ACLED would not code, left out: " + ", ".join(
            f"{n} {why}" for why, n in res.not_coded.most_common())
    err.print(msg, soft_wrap=True)


@app.command()
def stats(store: str = StoreOpt, as_json: bool = typer.Option(False, "--json")):
    """Counts of what the store holds. Events are counted once per report (the same happening told by three
    outlets is three report events) and, separately, fused across reports."""
    s = _open(store, read_only=True)
    st = s.stats()
    counts = st["counts"]
    reports = s.scalar("SELECT COUNT(*) FROM events WHERE NOT fused") or 0
    fused_types = s.query("SELECT type, COUNT(*) AS n FROM events WHERE fused GROUP BY type ORDER BY n DESC, type")
    s.close()
    counts["report_events"] = reports
    counts["fused_events"] = counts.get("fused_events") or 0
    st["fused_event_types"] = fused_types
    if as_json:
        print(json.dumps(st, ensure_ascii=False, default=str, indent=2))
        return
    bidi = bidi_wanted()
    c = Console()
    t = Table(title="marsad store")
    t.add_column("what")
    t.add_column("rows", justify="right")
    labels = {"events": "events (report + fused rows)", "report_events": "events, one per report",
              "fused_events": "events fused across reports"}
    for k, v in counts.items():
        t.add_row(labels.get(k, k), f"{v:,}")
    c.print(t)
    o = Table(title="articles by outlet")
    o.add_column("outlet")
    o.add_column("articles", justify="right")
    for r in st["outlets"]:
        o.add_row(show(r["outlet"], bidi), f"{r['n']:,}")
    c.print(o)
    if st["event_types"]:
        by_fused = {r["type"]: r["n"] for r in fused_types}
        e = Table(title="events by type")
        e.add_column("type")
        e.add_column("per report", justify="right")
        e.add_column("fused", justify="right")
        for r in st["event_types"]:
            e.add_row(r["type"], f"{r['n']:,}", f"{by_fused.get(r['type'], 0):,}")
        e.add_row("total", f"{reports:,}", f"{counts['fused_events']:,}", style="bold")
        c.print(e)
    dr = st["date_range"]
    c.print(f"published: {dr['first']} … {dr['last']}")


@app.command()
def show_article(article_id: str = typer.Argument(..., help="Article id (or a unique prefix)."),
                 store: str = StoreOpt):
    """Print one stored article's document (all layers) as JSON."""
    s = _open(store, read_only=True)
    ids = [r["id"] for r in s.query("SELECT id FROM articles WHERE id LIKE ?", [article_id + "%"])]
    if len(ids) != 1:
        err.print(f"[red]{'no' if not ids else len(ids)} articles match {article_id!r}[/red]")
        raise typer.Exit(2)
    doc = next(s.load_documents(ids))
    s.close()
    print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=1))


@app.command("eval")
def evaluate_gold(
    gold: Path = typer.Argument(..., help="Gold JSONL file (format: gold/README.md)."),
    samples: Optional[Path] = typer.Option(None, "--samples", help="Folder holding the articles the gold "
                                           "names (default: the shared samples)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    published_from_gold: bool = typer.Option(False, "--published-from-gold", help="Give each article the "
                                             "gold publication date (isolates date inference)."),
    data: Optional[Path] = typer.Option(None, "--data", help="`eval gsr`: the events_gsr folder (default: "
                                        "../shared/data/events_gsr)."),
    folds: int = typer.Option(5, "--folds", min=2, help="`eval gsr`: folds of the cross-validation by document."),
):
    """Score events and figures against a gold file: precision, recall and F1 at several levels.
    `marsad eval gsr` scores events on the development part of the Arabic event gold standard instead."""
    from ..events import evaluate as ev

    if str(gold) == "gsr" and not gold.exists():
        raise typer.Exit(eval_gsr(data, folds, as_json))
    if not gold.is_file():
        err.print(f"[red]marsad: gold file not found: {gold}[/red]")
        raise typer.Exit(2)
    argv = [str(gold)] + (["--samples", str(samples)] if samples else []) + (["--json"] if as_json else []) \
        + (["--published-from-gold"] if published_from_gold else [])
    try:
        code = ev.main(argv)
    except (ValueError, KeyError, OSError) as exc:  # a malformed gold line or a missing article
        err.print(f"[red]marsad eval: {gold}: {exc}[/red]")
        raise typer.Exit(2)
    raise typer.Exit(code)


@app.command("eval-places")
def evaluate_places(
    pages: Optional[Path] = typer.Option(None, "--pages", help="Labelled pages JSONL with main_places (default: "
                                         "the shared news_dev/pages.jsonl)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold samples file (default: gold/samples_gold.jsonl)."),
    listing: Optional[Path] = typer.Option(None, "--list", help="Write every village/town-level geocode here (JSONL)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
):
    """Score the places stage: main-place recall, event places, village-level geocodes, samples within 5 km."""
    from ..places import evaluate as pe

    argv = (["--pages", str(pages)] if pages else []) + (["--gold", str(gold)] if gold else []) \
        + (["--list", str(listing)] if listing else []) + (["--json"] if as_json else [])
    try:
        code = pe.main(argv)
    except (ValueError, KeyError, OSError) as exc:
        err.print(f"[red]marsad eval-places: {exc}[/red]")
        raise typer.Exit(2)
    raise typer.Exit(code)


@app.command("ner")
def ner_conll(
    conll: Path = typer.Option(..., "--conll", help="Input: one token per line, optionally a gold IOB tag in a "
                               "second column, blank lines between sentences."),
    output: Path = typer.Option(..., "--output", "-o", help="Output: token<TAB>predicted IOB2 tag, same blank lines."),
    networks: Optional[int] = typer.Option(None, "--networks", min=1, help="How many of the second pass's networks "
                                           "to run (default: all shipped; 1 is faster, a little less accurate)."),
):
    """Tag a CoNLL-style file with the NER model; with gold tags in the input, print P/R/F1 per type."""
    from ..entities.ner import get_tagger, read_conll_file, score_entities, tag_sentences

    notes: list[str] = []
    try:
        sents, golds = read_conll_file(conll, notes)
    except (OSError, ValueError) as exc:
        err.print(f"[red]marsad ner: {exc}[/red]")
        raise typer.Exit(2)
    for note in notes[:5]:
        err.print(f"[yellow]marsad ner: {note}[/yellow]")
    if len(notes) > 5:
        err.print(f"[yellow]marsad ner: … {len(notes) - 5} more such lines[/yellow]")
    tagger = get_tagger(networks)
    if not tagger.available:
        err.print("[red]marsad ner: the NER model is missing from the package[/red]")
        raise typer.Exit(2)
    preds = tag_sentences(tagger, sents)  # the file is one document: the second pass reads its other sentences
    with open(output, "w", encoding="utf-8") as fh:
        for k, (s, p) in enumerate(zip(sents, preds)):
            if k:
                fh.write("\n")
            fh.writelines(f"{w}\t{t}\n" for w, t in zip(s, p))
    print(f"{sum(map(len, sents))} tokens in {len(sents)} sentences tagged -> {output}")
    if golds is not None:
        sc = score_entities(golds, preds)
        print(f"{'type':8s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>6s}")
        for lab in ("PER", "ORG", "LOC", "MISC", "overall"):
            r = sc[lab]
            print(f"{lab:8s} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['support']:6d}")


def eval_gsr(data: Optional[Path], folds: int, as_json: bool) -> int:
    """`marsad eval gsr`: ASSAULT/PROTEST relevance P/R/F1 and role overlap on the events_gsr development part,
    cross-validated by document (see marsad.events.gsr)."""
    from ..events import gsr

    try:
        rep = gsr.evaluate(data, k=folds)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        err.print(f"[red]marsad eval gsr: {exc}[/red]")
        return 2
    print(json.dumps(rep, ensure_ascii=False, indent=1) if as_json else gsr.format_report(rep))
    return 0


@app.command()
def serve(store: str = StoreOpt,
          host: str = typer.Option("127.0.0.1", "--host",
                                   help="Address to listen on (0.0.0.0: every address of this machine)."),
          port: int = typer.Option(8765, "--port", "-p", min=1, max=65535, help="Port for the API and dashboard."),
          allow_host: Optional[List[str]] = typer.Option(
              None, "--allow-host", help="Another name clients may use for this server in the Host header "
                                         "(e.g. a DNS name, a proxy's); repeatable.")):
    """Serve the HTTP API and the offline dashboard (on localhost unless --host says otherwise)."""
    from ..api.server import run

    run(store_url=store, host=host, port=port, allow_hosts=allow_host or ())


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
