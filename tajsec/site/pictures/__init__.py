"""The four pictures of the docs site, one module each, drawn from the built graph with
matplotlib (see `common` for what makes them deterministic):

  structure  - Tajikistan's security agencies, their sub-units and control lines
  assistance - who supplies what to whom (ts:Assistance) and which security functions the
               author says are outsourced to whom (ts:Outsourcing)
  timeline   - dated events; 2004 month by month, earlier years compressed
  ontology   - the main classes of the ts: vocabulary and the properties between them
"""
from __future__ import annotations

from tajsec.site.pictures.assistance import assistance_picture
from tajsec.site.pictures.common import RC, Picture
from tajsec.site.pictures.ontology import ontology_picture
from tajsec.site.pictures.structure import structure_picture
from tajsec.site.pictures.timeline import timeline_picture

__all__ = ["Picture", "all_pictures", "assistance_picture", "ontology_picture", "structure_picture",
           "timeline_picture"]


def all_pictures(built) -> list[Picture]:
    import matplotlib

    with matplotlib.rc_context(RC):
        return [structure_picture(built), assistance_picture(built), timeline_picture(built),
                ontology_picture(built)]
