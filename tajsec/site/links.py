"""Links and values as written on one page of the docs site.

A `PageContext` is the page being written (`here`, its site path) and the site it belongs to;
every link is made relative to `here`. It is made afresh for each page, so nothing about the
"current page" outlives the writing of that page."""
from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import TS, TSD, TSSH, shorten
from tajsec.graph.index import Term
from tajsec.graph.time import pretty_date, time_text
from tajsec.site.text import esc, fmt_number
from tajsec.site.vocab import SCHEMA, XSD

if TYPE_CHECKING:
    from tajsec.site.model import SiteModel


@dataclass(frozen=True)
class PageContext:
    model: SiteModel
    here: str  # the site path of the page being written, e.g. "entities/rahmonov.html"

    def href(self, target: str) -> str:
        """A link from the page being written to a site path (with an optional #fragment)."""
        path, _, frag = target.partition("#")
        if path == self.here and frag:
            return f"#{frag}"
        rel = urllib.parse.quote(posixpath.relpath(path, posixpath.dirname(self.here) or "."))
        return rel + (f"#{frag}" if frag else "")

    def a(self, target: str, text: str, cls: str | None = None, title: str | None = None) -> str:
        c = f' class="{cls}"' if cls else ""
        t = f' title="{esc(title)}"' if title else ""
        return f'<a href="{esc(self.href(target))}"{c}{t}>{text}</a>'

    def iri_link(self, iri: str, text: str | None = None) -> str:
        """A link to whatever page shows `iri`; external IRIs link outwards, shortened."""
        ours = iri.startswith((TSD, TS))
        label = text if text is not None else esc(self.model.g.label(iri) if ours else shorten(iri))
        if iri in self.model.path:
            if self.model.path[iri] == self.here:
                return f'<strong title="{esc(shorten(iri))}">{label}</strong>'
            return self.a(self.model.path[iri], label, title=shorten(iri))
        if iri in self.model.interval_set:
            return f'<span class="time">{esc(self.time_text(iri))}</span>'
        if iri.startswith(("http://", "https://")) and not iri.startswith((TSD, TS, TSSH)):
            return f'<a class="ext" href="{esc(iri)}">{esc(shorten(iri)) if text is None else text}</a>'
        return f"<span>{label}</span>"

    def literal(self, o: ox.Literal) -> str:
        """A literal as HTML: dates as <time>, numbers grouped, booleans as yes/no."""
        dt = o.datatype.value if o.datatype else ""
        if o.language and o.language != "en":
            return (f'<span lang="{esc(o.language)}">{esc(o.value)}</span> '
                    f'<small class="lang">@{esc(o.language)}</small>')
        if dt in (XSD + "date", XSD + "gYear", XSD + "gYearMonth", XSD + "dateTime"):
            return f'<time datetime="{esc(o.value)}">{esc(pretty_date(o.value))}</time>'
        if dt in (XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float", XSD + "nonNegativeInteger"):
            return esc(fmt_number(o.value))
        if dt == XSD + "boolean":
            return "yes" if o.value in ("true", "1") else "no"
        return esc(o.value)

    def value(self, o: Term) -> str:
        if isinstance(o, ox.Literal):
            return self.literal(o)
        if isinstance(o, ox.NamedNode):
            if o.value in self.model.quantity_set:
                return self.quantity(o.value)
            return self.iri_link(o.value)
        return esc(str(o))

    def prop_name(self, p: str) -> str:
        """A property's label, linked to its term page where it has one."""
        name = self.model.g.label(p)  # standard terms carry our labels too (ontology/standard-terms.ttl)
        if p in self.model.path:
            return self.a(self.model.path[p], esc(name), title=shorten(p))
        return f'<span title="{esc(p)}">{esc(name)}</span>'

    def time_text(self, iri: str) -> str:
        return time_text(self.model.g, iri, self.model.g.is_a(iri, TS + "Instant"))

    def quantity(self, q: str) -> str:
        """A quantity as the paper words it, with its value, bounds, unit, hedge and period."""
        g = self.model.g
        text = g.first(q, TS + "valueText")
        parts = []
        for p, name in ((SCHEMA + "value", "value"), (SCHEMA + "minValue", "min"), (SCHEMA + "maxValue", "max")):
            for o in g.objects(q, p):
                parts.append(f"{name} {esc(fmt_number(o.value))}")
        for u in g.iris(q, TS + "unit"):
            parts.append("unit " + self.iri_link(u))
        for h in g.iris(q, TS + "hedge"):
            parts.append("hedge " + self.iri_link(h))
        for r in g.iris(q, TS + "referencePeriod"):
            parts.append("period " + esc(self.time_text(r)))
        for c in g.objects(q, TS + "comparedWith"):
            parts.append("compared with " + esc(c.value))
        for b in g.iris(q, TS + "comparisonBase"):  # a base period, or another node
            base = esc(self.time_text(b)) if g.is_a(b, TS + "Interval") else self.iri_link(b)
            parts.append("compared with " + base)
        for w in g.iris(q, TS + "partOf"):
            whole = g.first(w, TS + "valueText")
            parts.append("part of " + self.iri_link(w, esc(whole.value if whole is not None else g.label(w))))
        shown = f"\u201c{esc(text.value)}\u201d" if text is not None else esc(g.label(q))
        return (f'<span class="qty"><span class="qty-text">{shown}</span> '
                f'<span class="qty-parts">{" · ".join(parts)}</span></span>')
