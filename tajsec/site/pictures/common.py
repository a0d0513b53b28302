"""What the pictures of the docs site share: the Picture record, matplotlib settings that make
the output deterministic, colours, and small helpers for queries, text and figures.

Each picture is an SVG (text kept as text, so labels can be searched and read by screen readers)
and a PNG fallback. Output is deterministic: a fixed SVG hash salt, no dates in the metadata, no
software version in the PNG, every list sorted before it is drawn. Only the object-oriented API
is used (no pyplot), so nothing global such as the backend is changed."""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from tajsec.core.namespaces import ORG, TS, sparql_prologue
from tajsec.graph.build import Built
from tajsec.sparql import queries

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.text import Text
    from matplotlib.typing import RcKeyType

PROLOGUE = sparql_prologue()

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "tajsec-docs",
    "svg.fonttype": "none",  # keep text as <text>, not glyph paths
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.unicode_minus": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": False,
}

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#1d4e89"
NEGATIVE = "#c0392b"
PLANNED = "#d97706"
DONE_STATUSES = {TS + "status-done", TS + "status-ongoing"}
CURRENCIES = {TS + "unit-usd", TS + "unit-eur"}
PREFIX_ORG = ORG


@dataclass
class Picture:
    name: str  # file stem: pictures/<name>.svg and .png
    title: str
    caption: str  # plain text, one paragraph, says how the picture was derived
    alt: str
    svg: bytes
    png: bytes


def query_rows(built: Built, sparql: str) -> list[dict]:
    """Rows of a SELECT (run by the one in-process runner) as dicts of lexical values."""
    res = queries.run(built.query, PROLOGUE + sparql)
    return [dict(zip(res.variables, row, strict=True)) for row in res.lexical_rows_or_none()]


def label_map(built: Built) -> dict[str, str]:
    out: dict[str, str] = {}
    labels = "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'en' || LANG(?l) = '') } ORDER BY ?s ?l"
    for r in query_rows(built, labels):
        out.setdefault(r["s"], r["l"])
    return out


def wrap_text(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def save_figure(fig: Figure, title: str) -> tuple[bytes, bytes]:
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "tajsec docs", "Title": title})
    png = io.BytesIO()
    fig.savefig(png, format="png", metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def new_figure(w: float, h: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h), facecolor="white")
    FigureCanvasAgg(fig)  # a canvas with a renderer, to measure text
    return fig


def text_right_edge(ax: Axes, text_artist: Text) -> float:
    """The right edge of a drawn text, in data coordinates."""
    # new_figure gives every figure an Agg canvas
    r = cast("FigureCanvasAgg", ax.figure.canvas).get_renderer()
    bb = text_artist.get_window_extent(renderer=r)
    return ax.transData.inverted().transform((bb.x1, bb.y0))[0]
