"""The frame around every page of the docs site (templates/page.html) and its stylesheet
(static/style.css), both package data."""
from __future__ import annotations

import functools
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

from tajsec.core.namespaces import ONTOLOGY_IRI, shorten
from tajsec.site.rdf import alternate_links
from tajsec.site.text import esc
from tajsec.site.vocab import DCT

if TYPE_CHECKING:
    from tajsec.site.links import PageContext
    from tajsec.site.model import SiteModel

NAV = [("index.html", "Home"), ("index.html#pictures", "Pictures"), ("entities/index.html", "Entities"),
       ("terms/index.html", "Ontology"), ("questions/index.html", "Questions"), ("shapes/index.html", "Shapes"),
       ("timeline.html", "Timeline")]


def _package_file(*parts: str) -> bytes:
    return resources.files("tajsec.site").joinpath(*parts).read_bytes()


@functools.cache
def _template() -> Template:
    return Template(_package_file("templates", "page.html").decode("utf-8"))


def stylesheet() -> bytes:
    return _package_file("static", "style.css")


def licence_link(m: SiteModel) -> str:
    lic = m.g.first(ONTOLOGY_IRI, DCT + "license")
    if lic is None:
        return "licence not stated"
    name = "CC BY 4.0" if "creativecommons.org/licenses/by/4.0" in lic.value else shorten(lic.value)
    return f'<a class="ext" href="{esc(lic.value)}">{esc(name)}</a>'


def page(ctx: PageContext, title: str, body: str, crumbs: list[tuple[str, str]] | None = None,
         head: str = "") -> bytes:
    """The whole HTML document of the page `ctx.here`: `body` in the site's frame, with a
    breadcrumb trail of (site path, name) pairs ending in `title`, and `head` (HTML) added to
    the head after the page's `<link rel="alternate">` elements."""
    crumb = ""
    if crumbs:
        crumb = ('<nav class="crumbs" aria-label="breadcrumb">'
                 + " › ".join(ctx.a(t, esc(n)) for t, n in crumbs) + f" › <span>{esc(title)}</span></nav>")
    m = ctx.model
    doc = _template().substitute(
        title=esc(title), head=alternate_links(ctx) + head, css_href=esc(ctx.href("style.css")),
        home_href=esc(ctx.href("index.html")),
        nav="".join(f"<li>{ctx.a(t, esc(n))}</li>" for t, n in NAV), crumbs=crumb, body=body,
        licence=licence_link(m), triples=f"{m.g.triples:,}", version=esc(m.version))
    return doc.encode("utf-8")
