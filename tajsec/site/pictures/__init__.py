"""The four pictures of the docs site, one module each, drawn from the built graph with
matplotlib (see `common` for what makes them deterministic):

  structure  - Tajikistan's security agencies, their sub-units and control lines
  assistance - who supplies what to whom (ts:Assistance) and which security functions the
               author says are outsourced to whom (ts:Outsourcing)
  timeline   - dated events; 2004 month by month, earlier years compressed
  ontology   - the main classes of the ts: vocabulary and the properties between them
"""
from __future__ import annotations

from tajsec.graph.build import Built
from tajsec.site.pictures.assistance import assistance_picture
from tajsec.site.pictures.common import RC, Picture
from tajsec.site.pictures.ontology import ontology_picture
from tajsec.site.pictures.structure import structure_picture
from tajsec.site.pictures.timeline import timeline_picture

__all__ = ["DRAWERS", "Picture", "all_pictures", "assistance_picture", "draw", "ontology_picture",
           "structure_picture", "timeline_picture"]


DRAWERS = {"structure": structure_picture, "assistance": assistance_picture, "timeline": timeline_picture,
           "ontology": ontology_picture}


def draw(name: str, built: Built) -> Picture:
    """One picture by name (a key of DRAWERS), drawn with the deterministic settings."""
    import matplotlib

    with matplotlib.rc_context(RC):
        return DRAWERS[name](built)


def all_pictures(built: Built) -> list[Picture]:
    """The four pictures, in the order the home page shows them."""
    import matplotlib

    with matplotlib.rc_context(RC):
        return [drawer(built) for drawer in DRAWERS.values()]
