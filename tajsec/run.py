"""Running SPARQL on the built graph: parameters bound as RDF terms, a row limit, and a
timeout enforced by running the query in a forked worker that is killed when time is up."""
from __future__ import annotations

import multiprocessing as mp
import re

import pyoxigraph as ox

from tajsec import queries
from tajsec.namespaces import expand


class QueryError(Exception):
    """A query that cannot run: bad syntax (with line and column), bad parameter, time-out."""


_REMOTE = re.compile(r"(?<![\w:.?$-])(SERVICE|LOAD)\s+(SILENT\s+)?(<|[?$]|[A-Za-z][\w.-]*:)", re.I)


def parse_binding(spec: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """`var=<iri>`, `var=prefix:name` or `var=text` (a plain string literal). The value becomes
    an RDF term and is never spliced into the query text."""
    if "=" not in spec:
        raise QueryError(f"--bind {spec!r}: expected VAR=VALUE")
    var, value = spec.split("=", 1)
    var = var.lstrip("?$")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise QueryError(f"--bind {spec!r}: {var!r} is not a SPARQL variable name")
    if value.startswith("<") and value.endswith(">"):
        try:
            return var, ox.NamedNode(value[1:-1])
        except ValueError as e:
            raise QueryError(f"--bind {spec!r}: {e}") from None
    iri = expand(value) if re.fullmatch(r"[A-Za-z][\w-]*:[^\s]*", value) else None
    if iri:
        return var, ox.NamedNode(iri)
    return var, ox.Literal(value)


def run_select(built, text: str, bindings: dict | None = None, limit: int | None = None,
               timeout: float | None = None, allow_network: bool = False) -> queries.Result:
    if not allow_network and _REMOTE.search(_strip_comments_and_strings(text)):
        raise QueryError("the query uses SERVICE or LOAD, which would reach the network; "
                         "tajsec refuses it unless --allow-network is given")
    subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    if not timeout:
        return _execute(built, text, subs, limit)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(built, text, subs, limit, child), daemon=True)
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        raise QueryError(f"the query ran past the time-out of {timeout:g} s and was stopped")
    kind, payload = parent.recv()
    proc.join()
    if kind == "error":
        raise QueryError(payload)
    variables, rows = payload
    return queries.Result(variables, [[_decode(t) for t in row] for row in rows])


def _execute(built, text, subs, limit) -> queries.Result:
    try:
        res = built.query(text, substitutions=subs) if subs else built.query(text)
    except SyntaxError as e:
        m = re.search(r"error at (\d+):(\d+): (.*)", str(e))
        where = f"line {m.group(1)}, column {m.group(2)}: {m.group(3)}" if m else str(e)
        raise QueryError(f"syntax error at {where}") from None
    except RuntimeError as e:
        if "projection" in str(e):
            raise QueryError(f"{e}: --bind works on variables the query SELECTs") from None
        raise QueryError(str(e)) from None
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("only SELECT queries are supported here")
    variables = [v.value for v in res.variables]
    rows = []
    for sol in res:
        rows.append([sol[v] for v in variables])
        if limit is not None and len(rows) >= limit:
            break
    return queries.Result(variables, rows)


def _worker(built, text, subs, limit, conn):
    try:
        r = _execute(built, text, subs, limit)
        conn.send(("ok", (r.variables, [[_encode(t) for t in row] for row in r.rows])))
    except QueryError as e:
        conn.send(("error", str(e)))
    except Exception as e:  # any other failure inside the worker is still a clean error
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _encode(t):
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    return ("lit", t.value, t.language, t.datatype.value)


def _decode(t):
    if t is None:
        return None
    if t[0] == "iri":
        return ox.NamedNode(t[1])
    if t[0] == "bnode":
        return ox.BlankNode(t[1])
    _, value, lang, dt = t
    return ox.Literal(value, language=lang) if lang else ox.Literal(value, datatype=ox.NamedNode(dt))


def _strip_comments_and_strings(text: str) -> str:
    text = re.sub(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', '""', text)
    text = re.sub(r"<[^>\s]*>", "<>", text)
    return re.sub(r"#[^\n]*", "", text)
