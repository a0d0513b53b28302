"""The competency questions on the docs site: each one run against the graph, a page each with
its answer and SPARQL, and their index."""
from __future__ import annotations

import pyoxigraph as ox

from tajsec.graph.index import Term
from tajsec.site.frame import page
from tajsec.site.links import PageContext
from tajsec.site.model import SiteModel
from tajsec.site.text import esc, markdown, slug
from tajsec.sparql import queries


def cell(ctx: PageContext, t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        return ctx.iri_link(t.value)
    return ctx.value(t)


def run_questions(m: SiteModel) -> list[dict]:
    out = []
    for path in m.project.question_queries:
        qf = queries.QueryFile.read(path)
        try:
            res = queries.run(m.built.query, qf.text)
            error = None
        except (SyntaxError, ValueError, OSError) as e:
            res, error = None, str(e)
        expected = m.project.question_expected(qf.path)
        status = None
        if res is not None and expected.is_file():
            status = not queries.compare(res, expected)
        out.append({"qf": qf, "res": res, "error": error, "status": status,
                    "path": f"questions/{slug(qf.name)}.html"})
    return out


def question_page(m: SiteModel, q: dict) -> tuple[str, bytes]:
    qf = q["qf"]
    ctx = PageContext(m, q["path"])
    body = ['<div class="md">' + markdown(qf.header) + "</div>"]
    if q["status"] is True:
        body.append('<p class="ok">✓ The answer matches the expected answer in '
                    f"<code>queries/questions/{esc(qf.name)}.csv</code>.</p>")
    elif q["status"] is False:
        body.append('<p class="bad">✗ The answer differs from the expected answer in '
                    f"<code>queries/questions/{esc(qf.name)}.csv</code>.</p>")
    body.append('<h2>Answer</h2>')
    res = q["res"]
    if res is None:
        body.append(f'<p class="bad">The query failed: {esc(q["error"])}</p>')
    else:
        head = "".join(f"<th>{esc(v)}</th>" for v in res.variables)
        rows = "".join("<tr>" + "".join(f"<td>{cell(ctx, t)}</td>" for t in row) + "</tr>" for row in res.rows)
        body.append(f'<p>{len(res.rows)} row{"s" if len(res.rows) != 1 else ""}.</p>'
                    f'<div class="scroll"><table class="list answer"><thead><tr>{head}</tr></thead>'
                    f"<tbody>{rows}</tbody></table></div>")
    text = "\n".join(line for line in qf.text.splitlines() if not line.startswith("#")).strip()
    body.append(f"<h2>SPARQL</h2><pre class=\"sparql\"><code>{esc(text)}</code></pre>")
    body.append(f"<p>Run it: <code>tajsec query {esc(qf.name)}</code></p>")
    crumbs = [("index.html", "Home"), ("questions/index.html", "Questions")]
    return q["path"], page(ctx, qf.title, "\n".join(body), crumbs)


def questions_index(m: SiteModel, qs: list[dict]) -> tuple[str, bytes]:
    ctx = PageContext(m, "questions/index.html")
    rows = []
    for q in qs:
        mark = {True: '<span class="ok">✓</span>', False: '<span class="bad">✗</span>', None: ""}[q["status"]]
        n = "error" if q["res"] is None else str(len(q["res"].rows))
        rows.append(f"<tr><td>{ctx.a(q['path'], esc(q['qf'].title))}<br><small>{esc(q['qf'].question)}</small>"
                    f'</td><td class="num">{n}</td><td>{mark}</td></tr>')
    ok = sum(1 for q in qs if q["status"] is True)
    body = ["<h1>Competency questions</h1>",
            (f"<p>{len(qs)} questions the graph must answer, one SPARQL file each in "
            f"<code>queries/questions/</code>; {ok} of them give their expected answer. Each page shows the "
            "question, its query and the answer the current graph gives.</p>"),
            '<table class="list"><thead><tr><th>question</th><th class="num">rows</th><th>expected</th></tr>'
            "</thead><tbody>" + "".join(rows) + "</tbody></table>"]
    return "questions/index.html", page(ctx, "Competency questions", "\n".join(body), [("index.html", "Home")])
