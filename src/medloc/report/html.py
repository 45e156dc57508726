"""The reviewer's HTML report: one self-contained file, no network, every field escaped.

Why hand-written HTML with `html.escape` on every value instead of a template engine: the page shows
text translators typed (a msgstr may be `<script>…`), so the one rule — everything from the data is
escaped, nothing is inserted as markup by script — is easiest to audit in one short module. The
inline script only shows and hides rows (`hidden`) from the filter selects and keeps the filter in
the URL hash (`#severity=critical&locale=es`) so a link opens the same view; it never builds HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from urllib.parse import quote

from medloc.model import SLUG
from medloc.report.markdown import headline
from medloc.report.model import Report, ReportFinding, Tally
from medloc.scoring import Score

CSS = """
:root{--crit:#b3261e;--maj:#c25e00;--min:#7a6a00;--info:#4a5568;--ok:#1e7b34;--bg:#f7f7f9;--line:#dcdce2}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;
background:var(--bg);color:#1d1d24}header{background:#1f2a44;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.9}main{padding:18px 28px;max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 18px}
h2{font-size:17px;margin:0 0 10px}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f1f5;font-weight:600;font-size:13px}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.banner{background:#fff4ce;border:1px solid #e0b400;border-radius:8px;padding:10px 16px;margin:0 0 18px}
.banner strong{color:#7a4b00}.badge{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;
font-weight:600;color:#fff;white-space:nowrap}.critical{background:var(--crit)}.major{background:var(--maj)}
.minor{background:var(--min)}.info{background:var(--info)}.publish{background:var(--ok)}
.blocked{background:var(--crit)}.new{background:#2357b5}.open{background:#777}.waived{background:#5b7f5b}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;position:sticky;top:0;z-index:2}
.filters label{font-size:12px;color:#555;display:flex;flex-direction:column;gap:2px}
select,input{font:inherit;padding:3px 6px}.finding{border-top:1px solid var(--line);padding:10px 0}
.finding:first-of-type{border-top:0}.meta{font-size:13px;color:#555}.msg{margin:4px 0 6px;font-weight:500}
.seg{display:grid;grid-template-columns:70px 1fr;gap:2px 10px;font-size:14px}
.seg div.t{white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,Menlo,Consolas,monospace;
font-size:13px;background:#fafafa;border:1px solid #eee;border-radius:4px;padding:3px 6px}
mark{background:#ffd54f;border-bottom:2px solid #c25e00;padding:0 1px}code{font-size:12px}
.reasons{margin:0;padding-left:18px}.muted{color:#777}.sugg{color:#1e7b34}
details summary{cursor:pointer}#count{font-weight:600}
"""

JS = """
(function(){
  var keys=['severity','check','article','locale','status'];
  var order={critical:0,major:1,minor:2,info:3};
  function sel(k){return document.getElementById('f-'+k);}
  function apply(){
    var v={};keys.forEach(function(k){v[k]=sel(k).value;});
    var q=document.getElementById('f-text').value.toLowerCase();
    var shown=0,items=document.querySelectorAll('.finding');
    items.forEach(function(el){
      var ok=keys.every(function(k){
        if(!v[k])return true;
        if(k==='severity'&&v[k].slice(-1)==='+')return order[el.dataset.severity]<=order[v[k].slice(0,-1)];
        return el.dataset[k]===v[k];});
      if(ok&&q)ok=el.textContent.toLowerCase().indexOf(q)>=0;
      el.hidden=!ok;if(ok)shown++;});
    document.getElementById('count').textContent=shown+' of '+items.length;
    document.querySelectorAll('tr.row').forEach(function(tr){
      tr.hidden=(v.article&&tr.dataset.article!==v.article)||(v.locale&&tr.dataset.locale!==v.locale);});
    var h=keys.filter(function(k){return v[k];}).map(function(k){
      return k+'='+encodeURIComponent(v[k]);}).join('&');
    if(history.replaceState)history.replaceState(null,'',h?'#'+h:location.pathname+location.search);
  }
  function load(){
    location.hash.replace(/^#/,'').split('&').forEach(function(p){
      var kv=p.split('='),s=sel(kv[0]);
      if(s&&kv.length===2){var val=decodeURIComponent(kv[1]);
        for(var i=0;i<s.options.length;i++)if(s.options[i].value===val)s.value=val;}});
    apply();
  }
  keys.forEach(function(k){sel(k).addEventListener('change',apply);});
  document.getElementById('f-text').addEventListener('input',apply);
  document.getElementById('f-reset').addEventListener('click',function(){
    keys.forEach(function(k){sel(k).value='';});document.getElementById('f-text').value='';apply();});
  window.addEventListener('hashchange',load);load();
})();
"""


def e(value: object) -> str:
    """Escape any value for HTML text and attribute values (quotes included)."""
    return escape(str(value), quote=True)


def highlight(text: str, span: tuple[int, int] | None) -> str:
    """The text escaped, with the span (if any) in <mark>: escaping each piece separately."""
    if not span:
        return e(text)
    start, end = max(0, min(span[0], len(text))), max(0, min(span[1], len(text)))
    if end <= start:
        return e(text[:start]) + '<mark class="empty">\u2038</mark>' + e(text[start:])
    return e(text[:start]) + "<mark>" + e(text[start:end]) + "</mark>" + e(text[end:])


def _options(name: str, values: list[str], labels: dict[str, str] | None = None) -> str:
    plural = {"severity": "severities", "status": "statuses"}.get(name, name + "s")
    opts = [f'<option value="">all {e(plural)}</option>']
    opts += [f'<option value="{e(v)}">{e((labels or {}).get(v, v))}</option>' for v in values]
    return "".join(opts)


def _filters(tally: Tally) -> str:
    """The filter bar over the findings listed on the page (`tally`: theirs)."""
    counts = tally.every
    sev = ["critical", "major", "minor", "info"]
    severities = [*sev, "major+", "minor+"]
    labels = {s: f"{s} ({counts.get(s, 0)})" for s in sev}
    labels |= {"major+": "major and worse", "minor+": "minor and worse"}

    parts = [
        ("severity", _options("severity", severities, labels)),
        ("check", _options("check", sorted(tally.checks))),
        ("article", _options("article", sorted(tally.articles))),
        ("locale", _options("locale", sorted(tally.locales))),
        ("status", _options("status", ["new", "open", "waived"])),
    ]
    html = ['<div class="filters">']
    html += [f'<label>{k}<select id="f-{k}" name="{k}">{opts}</select></label>' for k, opts in parts]
    html.append('<label>text<input id="f-text" type="search" placeholder="search findings"></label>')
    html.append('<button id="f-reset" type="button">reset</button>')
    html.append(f'<span class="meta">showing <span id="count">{tally.total}</span> findings</span>')
    html.append("</div>")
    return "".join(html)


def findings_fragment(findings: Iterable[ReportFinding]) -> str:
    """One article's findings as they appear in the list (the part a project report keeps per article)."""
    return "".join(_finding(r) for r in findings)


def _finding(r: ReportFinding) -> str:
    f = r.finding
    src_span = f.span if not f.in_target else None
    tgt_span = f.span if f.in_target else None
    where = " · ".join(x for x in (f.article, f.locale, f.extra.get("reference", ""),
                                   f"PO line {f.extra['line']}" if f.extra.get("line") else "") if x)
    rows = [f'<div class="muted">source</div><div class="t src">{highlight(f.source, src_span)}</div>'] \
        if f.source else []
    if f.source or f.target:
        target = highlight(f.target, tgt_span) if f.target else '<span class="muted">(empty)</span>'
        rows.append(f'<div class="muted">target</div><div class="t tgt">{target}</div>')
    if f.suggestion:
        rows.append(f'<div class="muted">suggest</div><div class="sugg">{e(f.suggestion)}</div>')
    waiver = ""
    if r.waiver:
        w = r.waiver
        waiver = (f'<div class="meta">waived by {e(w.by or "?")} on {e(w.date or "?")}: '
                  f'<em>{e(w.reason)}</em></div>')
    return (
        f'<article class="finding" data-severity="{e(f.severity.value)}" data-check="{e(f.check)}" '
        f'data-article="{e(f.article)}" data-locale="{e(f.locale)}" data-status="{e(r.status)}">'
        f'<div><span class="badge {e(f.severity.value)}">{e(f.severity.value)}</span> '
        f'<span class="badge {e(r.status)}">{e(r.status)}</span> <strong>{e(f.check)}</strong> '
        f'<span class="meta">{e(f.category)} · {e(where)}</span></div>'
        f'<div class="msg">{e(f.message)}</div><div class="seg">{"".join(rows)}</div>{waiver}'
        f'<div class="meta">fingerprint <code>{e(r.fingerprint)}</code> — waive with '
        f'<code>medloc waive {e(r.fingerprint)} --reason "…"</code></div></article>'
    )


def has_page(slug: str) -> bool:
    """Articles get a page of their own when their slug is a safe file name (every project article's
    is: `medloc.extract.validate_slug`)."""
    return bool(SLUG.fullmatch(slug))


def article_href(slug: str) -> str:
    """Where an article's page is, relative to the index (`medloc.report.pages` writes it there)."""
    return f"articles/{quote(slug, safe='')}.html"


def _row(s: Score, source_locale: str, linked: bool) -> str:
    sev = s.severities
    article = e(s.article)
    if linked and has_page(s.article):
        article = f'<a href="{e(article_href(s.article))}">{article}</a>'
    reasons = "".join(f"<li>{e(x)}</li>" for x in s.reasons)
    label = "source" if s.locale == source_locale else s.locale
    decision = "" if s.locale == source_locale and s.publishable else \
        f'<span class="badge {e(s.decision)}">{e(s.decision)}</span>'
    done = "—" if s.locale == source_locale else f"{s.completion:.1f} %"
    return (
        f'<tr class="row" data-article="{e(s.article)}" data-locale="{e(s.locale)}" '
        f'data-decision="{e(s.decision)}"><td>{article}</td><td>{e(label)}</td>'
        f'<td class="n">{e(done)}</td><td class="n">{s.words}</td><td class="n">{sev["critical"]}</td>'
        f'<td class="n">{sev["major"]}</td><td class="n">{sev["minor"]}</td><td class="n">{s.waived}</td>'
        f'<td class="n">{s.penalty_per_1000_words:.1f}</td><td class="n">{s.score:.1f}</td>'
        f'<td>{decision}</td><td><ul class="reasons">{reasons}</ul></td></tr>'
    )


def _banners(report: Report, per_locale: bool = True) -> str:
    """Engines that did not check everything. `per_locale=False` (an article's page): the summary only —
    the per-locale lines count the whole run's segments, which change with any article; the index
    has them."""
    out = []
    for engine in report.engine_lines():
        if engine["checked"]:
            continue
        details = "".join(f"<li>{e(loc['line'])}</li>" for loc in engine["locales"] if not loc["ok"]) \
            if per_locale else ""
        out.append(f'<div class="banner" data-engine="{e(engine["kind"])}"><strong>{e(engine["summary"])}'
                   f"</strong>{f'<ul>{details}</ul>' if details else ''}</div>")
    return "".join(out)


def _fixes(report: Report) -> str:
    if not report.glossary_fixes:
        return '<p class="muted">No glossary fixes were made in the source.</p>'
    rows = "".join(
        f'<tr><td>{e(x.get("article", ""))}</td><td class="n">{e(x.get("line", ""))}</td>'
        f'<td>{e(x.get("block", ""))}</td>'
        f'<td><del>{e(x.get("before", ""))}</del></td><td><ins>{e(x.get("after", ""))}</ins></td>'
        f'<td>{e(x.get("concept", ""))}</td></tr>' for x in report.glossary_fixes
    )
    return ("<table><thead><tr><th>article</th><th>line</th><th>block</th><th>before</th><th>after</th>"
            f"<th>concept</th></tr></thead><tbody>{rows}</tbody></table>")


_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
        "connect-src 'none'; form-action 'none'")
_COLUMNS = ("article", "locale", "done", "words", "critical", "major", "minor", "waived",
            "penalty / 1k words", "score", "decision", "why")


def _section(ident: str, title: str, body: str) -> str:
    return f'<section id="{ident}"><h2>{e(title)}</h2>{body}</section>'


def render_html(report: Report) -> str:
    """The whole page; the only unescaped strings are this module's own markup, CSS and script."""
    return "".join(html_chunks(report))


def html_chunks(report: Report, fragments: Iterable[str] | None = None, *, listed: Tally | None = None,
                index: bool = False, article: str | None = None) -> Iterator[str]:
    """The page in pieces: `fragments` are the findings list's (`findings_fragment` per article, in
    report order); without them, they are made from `report.findings`.

    Three pages share this layout: the whole report in one page (`medloc check --format html`); the
    project's index (`index`: decisions linking to each article's page, the findings of no article,
    whose tally is `listed`); one article's page (`article`: its slug; a link back to the index)."""
    gate = report.gate
    listed = listed if listed is not None else report.totals()
    head = headline(report, news_only=article is not None).replace("**", "")
    rule = (f"generated {report.generated} · scope {report.scope} · gate: completion ≥ "
            f"{gate.min_completion:g} %, no critical finding, penalty ≤ "
            f"{gate.max_penalty_per_1000_words:g} per 1,000 words · fail-on {report.fail_on.value}")
    columns = "".join(f"<th>{e(c)}</th>" for c in _COLUMNS)
    rows = "".join(_row(s, report.source_locale, index) for s in report.rows)
    decisions = f"<table><thead><tr>{columns}</tr></thead><tbody>{rows}</tbody></table>"
    fixed = "".join(f"<li><span class='badge {e(p.severity)}'>{e(p.severity)}</span> <strong>{e(p.check)}"
                    f"</strong> {e(p.article)}/{e(p.locale)}: {e(p.message)}</li>" for p in report.fixed)
    if not fixed:
        none = "First run: nothing to compare with." if report.first_run else "Nothing fixed since last run."
        fixed_html = f'<p class="muted">{none}</p>'
    else:
        fixed_html = f"<ul>{fixed}</ul>"
    stale = "".join(f"<li><code>{e(w.fingerprint)}</code>: {e(w.reason)}</li>" for w in report.stale_waivers)
    checks = "".join(f"<li><code>{e(c['id'])}</code> {e(c['name'])} — {e(c['severity'])}, "
                     f"{e(c['category'])}</li>" for c in report.checks)
    title = f"medloc QA: {article}" if article is not None else "medloc QA report"
    findings_title = "Findings about no single article" if index else "Findings"
    note = ('<p class="meta">Each article\'s findings are on its own page: follow its name in the table '
            "above.</p>") if index else ""
    back = ('<p class="meta"><a style="color:#cfd6e6" href="../qa.html">← the project\'s QA report</a></p>'
            if article is not None else "")
    head_parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(_CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f'<header><h1>{e(title)}</h1><p id="headline">{e(head)}</p>',
        f'<p class="meta" style="color:#cfd6e6">{e(rule)}</p>{back}</header><main>',
        _banners(report, per_locale=article is None),
        _section("decisions", "Publish decisions", decisions),
        f'<section id="findings"><h2>{e(findings_title)}</h2>{note}{_filters(listed)}<div id="list">',
    ]
    yield "\n".join(head_parts)
    if not listed.total:
        yield '<p class="muted">No findings.</p>'
    yield from fragments if fragments is not None else [findings_fragment(report.findings)]
    tail_parts = [
        "</div></section>",
        _section("fixes", "Glossary fixes made in the source", _fixes(report)),
        # An article's page lists what was fixed in it, or nothing: "first run" or not is the run's
        # news (the index says it), and saying it on every page would rewrite every page once.
        _section("fixed", "Fixed since last run", fixed_html) if fixed or article is None else "",
        _section("stale", "Waivers that match nothing any more", f"<ul>{stale}</ul>") if stale else "",
        f'<section id="checks"><details><summary>{len(report.checks)} checks ran</summary>'
        f"<ul>{checks}</ul></details></section>",
        f"</main><script>{JS}</script></body></html>",
    ]
    yield "\n".join(tail_parts) + "\n"
