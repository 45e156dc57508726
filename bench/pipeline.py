"""Benchmark: the whole `medloc run` on a 1,000-article × 4-locale project, cold, unchanged, one change.

Why a generated project: the goals (issue 6, "Speed") are about a realistic project size, and the
shared corpus has 17 real pages. Articles are built from real text: TICO-19 health sentences (with
their professional es/fr/zh translations), bio-MQM medical-abstract sentences (with de/fr machine
translations as annotated, spelling faults included) and the NCI press-release paragraphs (with the
aligned Spanish paragraph where the pages align), combined 1–3 sentences per paragraph into HTML
pages with site chrome (cookie banner, navigation, sidebar, footer) so extraction has real work; a
share of the articles are the real NCI pages with changed figures and shuffled paragraphs. The PO
files are then created with medloc's own catalog code and filled from those translations, so QA
and publishing see a project mid-translation: some article × locale pairs complete, others not.

What is measured, each `medloc run` in a fresh process through the real entry point (the CLI and
the `localize` flow with its ephemeral Prefect server):

- prefect_startup_s: a trivial flow in a fresh process with a fresh PREFECT_HOME (imports, server
  start, flow run, server stop), i.e. what any `medloc run` pays before and after medloc's work;
- cold_s: first run (no out/, no incremental state, fresh Prefect database; translations present);
- no_change_s, one_change_s: the next run with nothing changed, then with one article's source edited;
  the `*_beyond_startup_s` figures subtract prefect_startup_s (the goals are stated that way);
- peak_rss_mb: the largest resident size of the run's whole process tree (medloc + Prefect's server
  subprocess), sampled every 50 ms with psutil; max_rss_single_mb is getrusage's figure for the
  largest single process;
- orchestration_share: the cold run's flow time (from Prefect's "Beginning flow run" log line to the
  flow's "Finished" line) against the same library calls made without Prefect in a fresh process on
  an identical copy of the project (`--plain`: collect, per-article pipeline on the runner, workers
  and batches the flow would pick — a plain ProcessPoolExecutor or ThreadPoolExecutor —, project QA,
  publishing, summary).
  share = (flow − plain) / flow: what Prefect adds to the work itself (task submission, state
  round-trips, logging to the API), start-up excluded. stage_sum_s (per-article stage times summed
  from out/summary.json) is printed too, as a cross-check that the work is where the stages say.

Not a test: `make bench` or `.venv/bin/python bench/pipeline.py [--articles N]`. Last line: JSON.
The temporary project and every process the bench started are removed on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import html
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))  # this checkout's medloc, also when the venv's install is another's
LOCALES = ["es", "fr", "de", "zh_CN"]
PYTHON = sys.executable
LOG_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \|")


# --------------------------------------------------------------------------- the corpus


@dataclass
class Unit:
    """One English sentence or paragraph and the translations the corpus has for it."""

    en: str
    targets: dict[str, str] = field(default_factory=dict)


def _norm(text: str) -> str:
    """Text as the lookup key: entities decoded, whitespace collapsed (extraction does the same)."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def tico_units(corpus: Path) -> list[Unit]:
    """TICO-19: 507 sentences with es (es-419), fr and zh translations, joined by tuid."""
    by_id: dict[str, Unit] = {}
    for name, locale in (("es-419", "es"), ("fr", "fr"), ("zh", "zh_CN")):
        text = (corpus / "tico19-tm" / f"tico19.en-{name}.sample.tmx").read_text(encoding="utf-8")
        for tuid, body in re.findall(r'<tu tuid="([^"]+)">(.*?)</tu>', text, re.S):
            segs = dict(re.findall(r'<tuv xml:lang="([^"]+)">\s*<seg>(.*?)</seg>', body, re.S))
            en = _sentence_case(html.unescape(segs.get("en", "")))
            target = html.unescape(segs.get(name.split("-")[0], segs.get(name, ""))).strip()
            if en and target:
                unit = by_id.setdefault(tuid, Unit(en))
                unit.targets[locale] = _sentence_case(target)
    return [u for u in by_id.values() if len(u.en.split()) >= 3]


def bio_units(corpus: Path) -> list[Unit]:
    """bio-MQM: medical-abstract sentences with their annotated de or fr machine translation."""
    units: dict[str, Unit] = {}
    for name, locale in (("en2de", "de"), ("en2fr", "fr")):
        path = corpus / "bio-mqm-en-fr-de" / f"bio_mqm_{name}_TMT_sample.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                en, target = (row.get("Source") or "").strip(), (row.get("Target") or "").strip()
                if en and target and len(en.split()) >= 3:
                    units.setdefault(en, Unit(en)).targets[locale] = target
    return list(units.values())


def nci_pages(corpus: Path) -> list[tuple[str, list[Unit]]]:
    """The 17 English NCI pages and their paragraphs, with the Spanish paragraph where aligned
    (same paragraph count, or the same figures in the same place)."""
    pages: list[tuple[str, list[Unit]]] = []
    folder = corpus / "nci-press-releases-en-es"
    paragraph = re.compile(r"<p[^>]*>(.*?)</p>", re.S)
    for en_path in sorted((folder / "en").glob("*.html")):
        en_html = en_path.read_text(encoding="utf-8")
        es_path = folder / "es" / en_path.name
        es_html = es_path.read_text(encoding="utf-8") if es_path.is_file() else ""
        en_ps = [m.strip() for m in paragraph.findall(en_html)]
        es_ps = [m.strip() for m in paragraph.findall(es_html)]
        units = []
        for i, text in enumerate(en_ps):
            unit = Unit(text)
            if i < len(es_ps):
                same_figures = re.findall(r"\d+", _norm(text)) == re.findall(r"\d+", _norm(es_ps[i]))
                if len(en_ps) == len(es_ps) or (same_figures and re.search(r"\d", text)):
                    unit.targets["es"] = es_ps[i]
            units.append(unit)
        pages.append((en_html, units))
    return pages


# --------------------------------------------------------------------------- the project

CHROME_TOP = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | Health News</title>
<meta name="description" content="{description}">
</head>
<body>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience.
<a href="/privacy">Learn more</a></p><button>Accept</button></div>
<header class="site-header"><a class="logo" href="/">Health News</a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/conditions">Conditions</a></li>
<li><a href="/drugs">Drugs &amp; Supplements</a></li><li><a href="/news">News</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/news">News</a> &gt; {crumb}</div>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By the editorial team · Updated {date}</p>
"""

CHROME_BOTTOM = """</article>
<aside class="sidebar"><h3>Related articles</h3><ul><li><a href="/a">Living with diabetes</a></li>
<li><a href="/b">Understanding blood pressure</a></li></ul></aside>
<div class="share-bar">Share: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">E-mail</a></div>
</main>
<footer class="site-footer"><p>© 2024 Health News. All rights reserved.</p>
<p><a href="/about">About us</a> · <a href="/contact">Contact</a> ·
<a href="/privacy">Privacy</a></p></footer>
</body>
</html>
"""


@dataclass
class Project:
    root: Path
    translations: dict[str, dict[str, str]]  # normalised English -> locale -> translation
    slugs: list[str]


def _combine(units: list[Unit], rng: random.Random, strong: bool) -> Unit:
    """A paragraph of 1–3 sentences; its translation only for the locales every sentence has."""
    en = [u.en for u in units]
    locales = set(LOCALES)
    for unit in units:
        locales &= set(unit.targets)
    targets = {loc: [u.targets[loc] for u in units] for loc in locales}
    if strong:  # inline markup, mirrored in the translations (QA compares tags one to one)
        k = rng.randrange(len(units))
        en[k] = f"<strong>{en[k]}</strong>"
        for parts in targets.values():
            parts[k] = f"<strong>{parts[k]}</strong>"
    return Unit(" ".join(en), {loc: ("" if loc == "zh_CN" else " ").join(p) for loc, p in targets.items()})


def _mutate_figures(text: str, rng: random.Random) -> str:
    """Change some figures so generated copies of a real page differ from each other."""
    return re.sub(r"\b\d{1,3}\b", lambda m: str(int(m.group()) + rng.randint(1, 9))
                  if rng.random() < 0.5 else m.group(), text)


def synthetic_article(n: int, rng: random.Random, tico: list[Unit], bio: list[Unit],
                      nci: list[Unit]) -> tuple[str, list[Unit]]:
    """An HTML page with chrome and 10–30 blocks from one profile of sources."""
    profile = rng.choices(["tico", "bio", "mixed"], weights=[5, 2, 3])[0]
    sources = {"tico": [tico], "bio": [bio], "mixed": [tico, bio, nci]}[profile]

    def paragraph() -> Unit:
        pool = rng.choice(sources)
        if pool is nci:
            unit = rng.choice(nci)
            return Unit(_mutate_figures(unit.en, rng), {}) if rng.random() < 0.3 else unit
        return _combine(rng.sample(pool, rng.randint(1, 3)), rng, strong=rng.random() < 0.15)

    title = _combine([rng.choice(sources[0])], rng, strong=False)
    description = _combine(rng.sample(sources[0], 2), rng, strong=False)
    units = [title, description]
    body: list[str] = []
    for _ in range(rng.randint(3, 6)):
        heading = _combine([rng.choice(sources[0])], rng, strong=False)
        units.append(heading)
        body.append(f"<h2>{heading.en}</h2>")
        for _ in range(rng.randint(2, 5)):
            unit = paragraph()
            units.append(unit)
            body.append(f"<p>{unit.en}</p>")
        if rng.random() < 0.3:
            items = [_combine([rng.choice(sources[0])], rng, strong=False) for _ in range(rng.randint(2, 4))]
            units += items
            body.append("<ul>" + "".join(f"<li>{i.en}</li>" for i in items) + "</ul>")
    page = CHROME_TOP.format(title=html.escape(_norm(title.en), quote=False),
                             description=html.escape(_norm(description.en)),
                             crumb=f"Article {n}", date=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}")
    return page + "\n".join(body) + "\n" + CHROME_BOTTOM, units


def nci_variant(rng: random.Random, page: tuple[str, list[Unit]]) -> tuple[str, list[Unit]]:
    """A real NCI page, its figures changed and two paragraphs swapped (translations kept where the
    paragraph was not changed)."""
    source, units = page
    matches = list(re.finditer(r"(<p[^>]*>)(.*?)(</p>)", source, re.S))
    texts = [m.group(2) for m in matches]
    if len(texts) >= 2:
        i, j = rng.sample(range(len(texts)), 2)
        texts[i], texts[j] = texts[j], texts[i]
    texts = [_mutate_figures(t, rng) if rng.random() < 0.4 else t for t in texts]
    out, last = [], 0
    for m, text in zip(matches, texts, strict=True):
        out += [source[last:m.start(2)], text]
        last = m.end(2)
    out.append(source[last:])
    return "".join(out), units


def build_project(root: Path, articles: int, corpus: Path, seed: int = 20240601) -> Project:
    """Write the project (settings, the repo's glossary, source articles); return the translations."""
    rng = random.Random(seed)
    tico, bio, pages = tico_units(corpus), bio_units(corpus), nci_pages(corpus)
    nci = [u for _, units in pages for u in units if len(_norm(u.en).split()) >= 8]
    settings = '[project]\nlocales = ["es", "fr", "de", "zh_CN"]\n\n[catalog]\ntm_threshold = 75\n'
    (root / "medloc.toml").write_text(settings, encoding="utf-8")
    shutil.copytree(REPO / "glossary", root / "glossary")
    source = root / "source_articles"
    source.mkdir()
    translations: dict[str, dict[str, str]] = {}
    slugs = []
    for n in range(articles):
        if rng.random() < 0.15:
            page, units = nci_variant(rng, rng.choice(pages))
        else:
            page, units = synthetic_article(n, rng, tico, bio, nci)
        for unit in units:
            if unit.targets:
                translations.setdefault(_norm(unit.en), {}).update(unit.targets)
        slug = f"article-{n:04d}"
        (source / f"{slug}.html").write_text(page, encoding="utf-8")
        slugs.append(slug)
    return Project(root, translations, slugs)


def prepare_catalogs(project: Project) -> dict[str, int]:
    """The translators' state before the benchmark: PO files made by medloc's catalog code (as a
    first run would leave them) and filled from the corpus translations. Not timed."""
    from medloc.catalog import po_path, update_catalogs
    from medloc.config import load_settings
    from medloc.extract import extract_article
    from medloc.fsutil import project_lock
    from medloc.glossary import fix_article, load_terminology
    from medloc.po import dump, parse
    from medloc.sources.folder import scan_folder

    settings = load_settings(project.root, env={})
    terminology = load_terminology(settings)
    filled = total = 0
    with project_lock(settings.path(settings.project.state_dir)):
        for document in scan_folder(settings).documents:
            article = extract_article(document.name, document.data, settings, origin=document.origin)
            article = fix_article(terminology, article, settings).article
            update_catalogs(article, settings)
            for locale in LOCALES:
                path = po_path(settings, locale, article.slug)
                po = parse(path.read_text(encoding="utf-8"))
                for entry in po.entries:
                    if not entry.msgid:
                        continue
                    total += 1
                    target = project.translations.get(_norm(entry.msgid), {}).get(locale)
                    if target:
                        entry.msgstr = target
                        entry.flags = [f for f in entry.flags if f != "fuzzy"]
                        filled += 1
                path.write_text(dump(po), encoding="utf-8")
    for name in ("out", ".medloc", ".prefect"):  # the cold run starts without any run's leftovers
        shutil.rmtree(project.root / name, ignore_errors=True)
    return {"entries": total, "translated": filled}


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    flow_seconds: float | None  # Prefect's "Beginning flow run" to the flow's "Finished" line
    startup_seconds: float | None  # process start to "Beginning flow run"
    output: str
    returncode: int


def _log_seconds(line: str, day_start: float) -> float | None:
    m = LOG_TIME.match(line)
    if not m:
        return None
    h, mi, s, ms = (int(g) for g in m.groups())
    return day_start + h * 3600 + mi * 60 + s + ms / 1000


def run_process(args: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run a process, sampling its whole tree's RSS; kill the tree if the bench is interrupted."""
    now = datetime.now()
    day_start = now.timestamp() - (now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6)
    started_wall, started = time.time(), time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            parent = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            total = 0
            try:
                for p in [parent, *parent.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            except psutil.Error:
                break
            peak = max(peak, total)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = proc.communicate()
    except BaseException:
        _kill_tree(proc)
        raise
    finally:
        stop.set()
        sampler.join()
    seconds = time.perf_counter() - started
    begin = finish = None
    for line in output.splitlines():
        if "Beginning flow run" in line:
            begin = _log_seconds(line, day_start)
        elif "Flow run" in line and "Finished in state" in line:
            finish = _log_seconds(line, day_start)
    return Run(
        seconds, peak / 2**20,
        finish - begin if begin is not None and finish is not None else None,
        begin - started_wall if begin is not None else None,
        output, proc.returncode,
    )


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    try:
        parent = psutil.Process(proc.pid)
        for p in [*parent.children(recursive=True), parent]:
            with contextlib.suppress(psutil.Error):
                p.kill()
    except psutil.Error:
        pass
    proc.wait()


def run_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MEDLOC_"))}
    env["PREFECT_HOME"] = str(root / ".prefect")  # what medloc.runtime.configure_prefect sets
    # `flows` and `medloc` from the repo this bench is in (a clone benches its own code, whatever
    # checkout the virtualenv's editable install points at)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    return env


def medloc_run(root: Path) -> Run:
    command = [str(Path(PYTHON).parent / "medloc"), "run", "--project", str(root)]
    run = run_process(command, run_env(root), REPO)
    if run.returncode not in (0, 1):  # 1: some article failed, reported in the summary
        sys.stderr.write(run.output[-5000:])
        raise SystemExit(f"medloc run failed with exit code {run.returncode}")
    return run


STARTUP_SCRIPT = """
import sys
from medloc.runtime import configure_prefect
configure_prefect(sys.argv[1])
from prefect import flow
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

@flow(name="empty")
def empty() -> int:
    return 1

# as `medloc run` runs its flow (flows.localize.heartbeats_only_for_a_server: no server, no heartbeats)
with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
    empty()
"""


def prefect_startup(root: Path) -> Run:
    folder = root / "startup"
    folder.mkdir(exist_ok=True)
    return run_process([PYTHON, "-c", STARTUP_SCRIPT, str(folder)], run_env(folder), REPO)


PLAIN_SCRIPT = """
import json, multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from medloc.runtime import configure_prefect
configure_prefect(sys.argv[1])
from medloc.batching import batched, choose_batch_size, choose_runner, default_workers, process_documents
from medloc.config import load_settings
from medloc.fsutil import current_hold, project_lock
from medloc.incremental import ArticleState
from medloc.qastage import qa_run
from medloc.sources.folder import scan_folder
from medloc.summary import RunSummary, write_summary



def main() -> None:
    started = time.perf_counter()
    settings = load_settings(Path(sys.argv[1]))
    if settings.glossary.fix_source:
        from medloc.glossary import load_terminology
        load_terminology(settings).prepare()
    state_dir = settings.path(settings.project.state_dir)
    with project_lock(state_dir):
        scan = scan_folder(settings)
        documents = list(scan.documents)
        state = ArticleState(settings)
        # The same runner, workers and batches the flow picks (medloc.batching), on a plain executor.
        kind = choose_runner(settings.flow, len(documents))
        workers = default_workers(settings.flow)
        size = choose_batch_size(len(documents), workers, kind, settings.flow.batch_size)
        slices = batched(documents, size)
        hold = current_hold(state_dir)
        if kind == "processes":  # spawned, as Prefect's ProcessPoolTaskRunner does
            spawn = multiprocessing.get_context("spawn")
            executor = ProcessPoolExecutor(max_workers=workers, mp_context=spawn)
        else:
            executor = ThreadPoolExecutor(max_workers=workers)
        with executor:
            n = len(slices)
            batches = list(executor.map(process_documents, slices, [settings] * n, [hold] * n))
        results = [result for batch in batches for result in batch]
        for document, result in zip(documents, results):
            if result.ok and result.slug:
                state.record(document, result.slug, settings, result.to_dict())
        state.save()
        qa = qa_run(settings)
        summary = RunSummary(results, [str(e) for e in scan.errors], {}, [], time.perf_counter() - started)
        summary.qa = qa["counts"]
        from medloc.publish import publish_after_qa
        summary.publish = publish_after_qa(settings, documents, qa["counts"])
        write_summary(summary, settings)
    print(json.dumps({"plain_seconds": time.perf_counter() - started, "runner": kind, "workers": workers}))


if __name__ == "__main__":  # spawned workers import this file: only the parent runs
    main()
"""


def plain_run(root: Path) -> tuple[float, Run]:
    """The cold run's library work without Prefect (the orchestration baseline)."""
    script = root.parent / "plain_run.py"  # a file: spawned worker processes import their parent's main
    script.write_text(PLAIN_SCRIPT, encoding="utf-8")
    run = run_process([PYTHON, str(script), str(root)], run_env(root), REPO)
    if run.returncode != 0:
        sys.stderr.write(run.output[-5000:])
        raise SystemExit("plain (no Prefect) run failed")
    return float(json.loads(run.output.strip().splitlines()[-1])["plain_seconds"]), run


def summary_of(root: Path) -> dict[str, object]:
    return json.loads((root / "out" / "summary.json").read_text(encoding="utf-8"))


def stage_sum(summary: dict[str, object]) -> dict[str, float]:
    totals: dict[str, float] = {}
    cached = set(summary["cached"])  # type: ignore[arg-type]
    for article in summary["articles"]:  # type: ignore[attr-defined]
        if article["slug"] in cached:
            continue
        for name, seconds in article["stages"].items():
            totals[name] = totals.get(name, 0.0) + seconds
    return totals


def change_one(root: Path, slug: str) -> None:
    """An editor's change: one paragraph of the article's body gets a new sentence (the first
    paragraph after the first heading: the page's first <p> is the cookie banner, site chrome that
    extraction leaves out, so changing it would change no segment)."""
    path = root / "source_articles" / f"{slug}.html"
    text = path.read_text(encoding="utf-8")
    body = max(text.find("<h2"), text.find("<main"), 0)
    end = text.index("</p>", body)
    sentence = " Ask your doctor before you change the dose."
    path.write_text(text[:end] + sentence + text[end:], encoding="utf-8")


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def report(name: str, run: Run, startup: Run, summary: dict[str, object]) -> None:
    """One line per run: wall time, time beyond Prefect's start-up, the flow's own time, what ran."""
    cached = len(summary["cached"])  # type: ignore[arg-type]
    print(f"{name + ':':16s}{run.seconds:7.2f} s  (beyond start-up {run.seconds - startup.seconds:.2f} s; "
          f"flow {run.flow_seconds or 0:.2f} s; peak RSS {run.peak_rss_mb:.0f} MB; "
          f"processed {len(summary['articles']) - cached}, cached {cached}, "  # type: ignore[arg-type]
          f"failed {summary['failed']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project (prints its path)")
    parser.add_argument("--no-plain", action="store_true", help="skip the no-Prefect baseline run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="medloc-bench-pipeline-"))
    try:
        root, plain_root = work / "project", work / "plain"
        root.mkdir()
        started = time.perf_counter()
        project = build_project(root, args.articles, args.corpus)
        counts = prepare_catalogs(project)
        if not args.no_plain:
            shutil.copytree(root, plain_root)
        print(f"project: {args.articles} articles × {len(LOCALES)} locales, {counts['entries']} PO entries, "
              f"{counts['translated']} translated from the corpus "
              f"(set-up {time.perf_counter() - started:.1f} s)")

        startup = prefect_startup(work)  # fresh home: what the cold run pays
        warm = prefect_startup(work)  # same home again: what later runs pay
        print(f"Prefect start-up alone (trivial flow): {startup.seconds:.2f} s with a fresh home, "
              f"{warm.seconds:.2f} s with an existing one")
        cold = medloc_run(root)
        cold_summary = summary_of(root)
        stages = stage_sum(cold_summary)
        report("cold run", cold, startup, cold_summary)
        print("  stage sums:   " + ", ".join(f"{k} {v:.1f} s" for k, v in stages.items()))
        print(f"  QA: {cold_summary.get('qa', {}).get('headline', '')}")  # type: ignore[union-attr]
        same = medloc_run(root)
        report("no-change run", same, warm, summary_of(root))
        change_one(root, project.slugs[len(project.slugs) // 2])
        one = medloc_run(root)
        report("one-change run", one, warm, summary_of(root))
        share = plain_seconds = None
        if not args.no_plain:
            plain_seconds, _ = plain_run(plain_root)
            if cold.flow_seconds:
                share = (cold.flow_seconds - plain_seconds) / cold.flow_seconds
            shown = f"{share:.1%}" if share is not None else "n/a"
            print(f"orchestration:  cold flow {cold.flow_seconds or 0:.2f} s vs the same library calls "
                  f"without Prefect {plain_seconds:.2f} s -> share {shown} "
                  f"(per-article stage sum {sum(stages.values()):.2f} s)")
        peak = max(r.peak_rss_mb for r in (cold, same, one))
        single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS (process tree): {peak:.0f} MB; largest single process {single:.0f} MB")
        if args.keep:
            print(f"kept: {work}")
        print(json.dumps({
            "bench": "pipeline", "articles": args.articles, "locales": len(LOCALES),
            "prefect_startup_s": round(startup.seconds, 2),
            "prefect_startup_warm_s": round(warm.seconds, 2),
            "cold_s": round(cold.seconds, 2),
            "cold_beyond_startup_s": round(cold.seconds - startup.seconds, 2),
            "cold_flow_s": _round(cold.flow_seconds),
            "no_change_s": round(same.seconds, 2),
            "no_change_beyond_startup_s": round(same.seconds - warm.seconds, 2),
            "no_change_flow_s": _round(same.flow_seconds),
            "one_change_s": round(one.seconds, 2),
            "one_change_beyond_startup_s": round(one.seconds - warm.seconds, 2),
            "one_change_flow_s": _round(one.flow_seconds),
            "plain_s": _round(plain_seconds),
            "orchestration_share": round(share, 3) if share is not None else None,
            "stage_sum_s": round(sum(stages.values()), 2),
            "peak_rss_mb": round(peak),
            "max_rss_single_mb": round(single),
        }))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
