"""`tajsec docs`: a static HTML site generated from the built graph.

The site opens from disk (every link relative, no external CSS, scripts or fonts) and from any
web server, and is deterministic: the same inputs give the same bytes (no clock, no absolute
paths, every list sorted). It holds:

  index.html              what the dataset is, its source, licence, counts, how to query and cite
                          it, and the pictures
  entities/<slug>.ttl, .jsonld   beside every page of a node (entity, class, property, scheme):
                          the triples `tajsec serve` gives for its IRI, linked from the page's head
  entities/<slug>.html    one page per actor, place, event, agreement and document, with every
                          statement about it or pointing to it (a section's page holds the
                          statements made in that section, and is where links to a statement go)
  terms/...               the ontology: a page per class, property and concept scheme
  questions/<name>.html   each competency question, its SPARQL and its current answer
  shapes/index.html       the SHACL shapes, linked from the terms they constrain
  timeline.html           every dated or ordered statement, event and agreement, in time order
  pictures/*.svg, *.png   drawn from the graph (tajsec.site.pictures)

`build_site(project, out_dir)` writes all of it into a temporary directory beside `out_dir` and
then renames it into place; an existing `out_dir` is replaced only if it is empty or carries the
marker file of a previous site.

Modules: `model` (what is what and where its page is), `links` (links and values on one page),
`cards`, `entities`, `terms`, `shapes`, `questions`, `home` (one per kind of page), `frame`
(the page frame, from templates/page.html and static/style.css), `pictures/` (one module per
picture) and `write` (the dead-link check and the atomic write).
"""
from __future__ import annotations

from pathlib import Path

from tajsec.core.project import Project
from tajsec.graph.build import Built, build
from tajsec.site.entities import entities_index, entity_page
from tajsec.site.frame import stylesheet
from tajsec.site.home import home_page
from tajsec.site.model import SiteModel
from tajsec.site.pictures import all_pictures
from tajsec.site.questions import question_page, questions_index, run_questions
from tajsec.site.rdf import rdf_files
from tajsec.site.shapes import shapes_page
from tajsec.site.terms import class_page, property_page, scheme_page, terms_index
from tajsec.site.text import markdown
from tajsec.site.timeline import CSV_PATH, timeline_csv, timeline_page
from tajsec.site.write import MARKER, MARKER_TEXT, DocsError, check_out_dir, dead_links, write_site

__all__ = ["MARKER", "DocsError", "build_site", "dead_links", "markdown", "render_site", "write_site"]


def render_site(project: Project, built: Built | None = None) -> tuple[dict[str, bytes], dict]:
    """Every file of the site, by path, and the counts."""
    if built is None:
        built = build(project)
    m = SiteModel(project, built)
    files: dict[str, bytes] = {}
    pictures = all_pictures(built)
    for p in pictures:
        files[f"pictures/{p.name}.svg"] = p.svg
        files[f"pictures/{p.name}.png"] = p.png
    qs = run_questions(m)
    pages = [home_page(m, pictures, qs)]
    pages += [entity_page(m, e) for e in m.entities]
    pages.append(entities_index(m))
    pages += [class_page(m, c) for c in m.classes]
    pages += [property_page(m, p) for p in m.properties]
    pages += [scheme_page(m, s) for s in m.schemes]
    pages += [terms_index(m), shapes_page(m)]
    pages += [question_page(m, q) for q in qs]
    pages.append(questions_index(m, qs))
    pages.append(timeline_page(m))
    files.update(pages)
    files.update(rdf_files(m))
    files[CSV_PATH] = timeline_csv(m)
    files["style.css"] = stylesheet()
    files[MARKER] = MARKER_TEXT.encode("utf-8")
    dead = dead_links(files)
    if dead:
        raise RuntimeError(f"tajsec docs made {len(dead)} dead links, e.g. {dead[:5]}")
    return files, {
        "pages": sum(1 for f in files if f.endswith(".html")),
        "entities": len(m.entities),
        "terms": len(m.classes) + len(m.properties) + len(m.schemes),
        "concepts": len(m.concepts),
        "questions": len(qs),
        "pictures": len(pictures),
        "files": len(files),
    }


def build_site(project: Project, out_dir: Path, built: Built | None = None) -> dict:
    """Generate the site into `out_dir` (atomically). Returns counts: pages, entities, terms,
    concepts, questions, pictures, files. Raises DocsError if `out_dir` cannot be used."""
    check_out_dir(Path(out_dir).absolute())
    files, counts = render_site(project, built)
    write_site(files, Path(out_dir))
    return counts
