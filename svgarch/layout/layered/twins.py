"""Phase 4, after crossing reduction — twins in the description's order, their long edges with them.

Two blocks of one layer and one cluster are twins when their edges reach the
same blocks the same way: per edge, its direction, the block at its far end
and the layers it spans (``rank 1 .. rank 3``, each fed by one launcher and
feeding one all-reduce two layers down). Exchanging twins together with the
dummy nodes of their edges is an automorphism of the layered graph, so every
crossing count stays exactly as it was; yet crossing reduction leaves twins
in whatever order its sweeps met them (``rank 0, rank 2, rank 3, rank 1``).
``tidy`` cannot mend that once their edges run through layers of dummies: it
moves one layer at a time, and a twin moved without its dummies would cross
them. So this pass puts every class of twins into description order on the
slots the class holds, and moves each twin's dummies to the slots of the
dummies they stand for.

Pre: an order from phase 4 (every cluster contiguous between its borders).
Post: the same crossings and the same slots for every other node; in every
class of twins, description order from left to right. Deterministic.
"""

from __future__ import annotations

from .graph import LayerGraph

__all__ = ["run"]

_Reach = tuple[int, int, int, tuple[int, ...]]  # direction (0 up, 1 down), far end, layers spanned, dummies' clusters


def run(graph: LayerGraph, layers: list[list[int]]) -> None:
    """Reorder ``layers`` in place: every class of twins in description order, with their dummies."""
    real = graph.real_count
    chained = {v for pair in graph.flat for v in pair}
    classes: dict[tuple[int, int, tuple[_Reach, ...]], list[int]] = {}
    routes: dict[int, list[list[int]]] = {}  # twin -> its edges' dummies, in the order of its reaches
    for v in range(real):
        if v in graph.free or v in graph.leading or v in chained or graph.side[v]:
            continue
        reaches: list[tuple[_Reach, list[int]]] = []
        for direction, links in enumerate((graph.up, graph.down)):
            for first in links[v]:
                dummies: list[int] = []
                w = first
                while w >= real and not graph.side[w]:  # a dummy: one link on, to the far end
                    dummies.append(w)
                    w = links[w][0]
                clusters = tuple(graph.group[d] for d in dummies)
                reaches.append(((direction, w, len(dummies), clusters), dummies))
        reaches.sort(key=lambda reach: reach[0])
        classes.setdefault((graph.layer[v], graph.group[v], tuple(r for r, _ in reaches)), []).append(v)
        routes[v] = [dummies for _, dummies in reaches]
    pos: dict[int, int] = {}
    for layer in layers:
        for slot, v in enumerate(layer):
            pos[v] = slot
    # One class after another, each a permutation of the order as it then is: a dummy may run between
    # twins of two classes (both ends of a long edge are twins), and each step keeps every count.
    for twins in classes.values():
        if len(twins) < 2:
            continue
        drawn = sorted(twins, key=pos.__getitem__)
        slots: dict[int, int] = {}  # node -> the slot it takes, in its own layer
        for wanted, there in zip(twins, drawn, strict=True):  # ``twins`` ascend: description order
            slots[wanted] = pos[there]
            for own, theirs in zip(routes[wanted], routes[there], strict=True):
                slots.update((d, pos[e]) for d, e in zip(own, theirs, strict=True))
        for v, slot in slots.items():
            layers[graph.layer[v]][slot] = v
            pos[v] = slot
