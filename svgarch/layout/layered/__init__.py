"""Automatic layered (Sugiyama) layout of directed graphs.

The layout is a flat list of phases, each a small module that names the
paper it follows and states its pre- and post-conditions:

0. ``direction`` — work top to bottom whatever the requested direction;
1. ``acyclic``   — break cycles by reversing edges (run / undo);
2. ``rank``      — give every node a layer, honouring fixed ranks
                   (longest path, then ``simplex``: network simplex);
                   ``share``: a long edge's label node left alone in a
                   layer at one end joins another label's layer;
3. ``normalize`` — split long edges into dummy nodes (run / undo → bends);
3b. ``clusters`` — border nodes for every cluster (nested groups) in every
                   layer it spans; chains of flat edges;
4. ``order``     — reduce crossings by barycenter sweeps and transpositions
                   (``through``: without the layers edges only pass
                   through; ``units``: clusters and chains move as one),
                   then description order where crossings allow it
                   (``twins`` with their long edges, ``tidy``); ``arms``:
                   two long arms of one fan that change sides nested again;
5. ``position``  — x by Brandes–Köpf, each cluster border one straight line;
                   ``straighten``: links shortened by network simplex
                   (dot's priority method: long edges and chains straight,
                   frames narrow); ``spread``: a least-squares fit instead,
                   for large graphs Brandes–Köpf would draw as a ribbon, and
                   ``pack``: their components packed into free room;
                   ``spacing``: y from the layers' depths and what their
                   edges need; ``wrap``: rows of N layers;
6. ``direction`` — turn the result to the requested direction.

``layered_layout`` runs them; ``count_crossings`` counts crossings of any
layered drawing the same way the ordering phase does. A cluster's box (its
nodes over the layers it spans) holds no other node and overlaps no box of
a cluster it is not nested in or around.
"""

from .crossings import bilayer_crossings, count_crossings
from .graph import LayeredEdge, LayeredNode, LayeredResult
from .layout import layered_layout

__all__ = [
    "LayeredEdge",
    "LayeredNode",
    "LayeredResult",
    "bilayer_crossings",
    "count_crossings",
    "layered_layout",
]
