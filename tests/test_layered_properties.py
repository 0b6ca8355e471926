"""Property tests of the layered layout on small random graphs (hypothesis)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from svgarch.layout.layered import LayeredEdge, LayeredNode, LayeredResult, layered_layout, rank

EPS = 1e-6

pytestmark = pytest.mark.slow  # property tests: make quick leaves them out


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[LayeredNode], list[LayeredEdge]]:
    count = draw(st.integers(0, 12))
    nodes = [
        LayeredNode(
            f"v{i}",
            draw(st.integers(1, 120)),
            draw(st.integers(1, 60)),
            rank=draw(st.one_of(st.none(), st.none(), st.integers(-2, 4))),
            group=draw(st.sampled_from([None, None, "g", "h"])),
        )
        for i in range(count)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=30)) if count else []
    edges = [LayeredEdge(f"v{s % count}", f"v{t % count}") for s, t in pairs]
    return nodes, edges


def layers_of(result: LayeredResult) -> dict[int, list[str]]:
    layers: dict[int, list[str]] = {}
    for node in sorted(result.ranks, key=lambda n: result.centres[n][0]):
        layers.setdefault(result.ranks[node], []).append(node)
    return layers


@settings(max_examples=300, deadline=None)
@given(graphs(), st.sampled_from([10.0, 40.0]))
def test_layout_invariants(graph: tuple[list[LayeredNode], list[LayeredEdge]], node_gap: float) -> None:
    nodes, edges = graph
    result = layered_layout(nodes, edges, node_gap=node_gap, rank_gap=30)
    by_id = {n.id: n for n in nodes}
    assert set(result.centres) == set(result.ranks) == set(by_id)
    assert len(result.bends) == len(edges)
    assert all(r >= 0 for r in result.ranks.values())

    fixed = [n for n in nodes if n.rank is not None]
    for a, b in itertools.combinations(fixed, 2):
        assert result.ranks[a.id] - result.ranks[b.id] == a.rank - b.rank  # type: ignore[operator]

    layer_y: dict[int, float] = {}
    for node, r in result.ranks.items():
        assert layer_y.setdefault(r, result.centres[node][1]) == result.centres[node][1]
    for layer in layers_of(result).values():
        for left, right in itertools.pairwise(layer):
            room = result.centres[right][0] - result.centres[left][0]
            assert room >= (by_id[left].width + by_id[right].width) / 2 + node_gap - EPS
        groups = [by_id[n].group for n in layer]
        for g in set(groups) - {None}:
            members = [i for i, x in enumerate(groups) if x == g]
            assert members == list(range(members[0], members[-1] + 1))

    for edge, bends in zip(edges, result.bends, strict=True):
        span = abs(result.ranks[edge.target] - result.ranks[edge.source])
        assert len(bends) == max(span - 1, 0)
        ys = [result.centres[edge.source][1], *(p[1] for p in bends), result.centres[edge.target][1]]
        if bends:
            assert ys == sorted(ys) or ys == sorted(ys, reverse=True)
            assert len(set(ys)) == len(ys)

    points = [p for ps in result.bends for p in ps]
    for n in nodes:
        x, y = result.centres[n.id]
        points += [(x - n.width / 2, y - n.height / 2), (x + n.width / 2, y + n.height / 2)]
    if points:
        assert min(p[0] for p in points) == 0 and min(p[1] for p in points) == 0
        assert max(p[0] for p in points) <= result.width + EPS and max(p[1] for p in points) <= result.height + EPS

    assert layered_layout(nodes, edges, node_gap=node_gap, rank_gap=30) == result


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=9))
def test_ranking_of_a_dag_is_optimal(count: int, pairs: list[tuple[int, int]]) -> None:
    edges = [(min(s % count, t % count), max(s % count, t % count)) for s, t in pairs]
    edges = [(s, t) for s, t in edges if s != t]
    reached = {0}
    for _ in range(count):
        reached |= {v for s, t in edges if {s, t} & reached for v in (s, t)}
    assume(len(reached) == count)  # rank.run takes one connected component
    ranks = rank.run(count, edges, [None] * count)
    assert all(ranks[t] > ranks[s] for s, t in edges)
    best = min(
        sum(r[t] - r[s] for s, t in edges)
        for r in itertools.product(range(count), repeat=count)
        if all(r[t] > r[s] for s, t in edges)
    )
    assert sum(ranks[t] - ranks[s] for s, t in edges) == best


@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 4),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=9),
    st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_ranking_with_fixed_ranks_is_optimal(count: int, pairs: list[tuple[int, int]], pinned: list[bool]) -> None:
    edges = [(min(s % count, t % count), max(s % count, t % count)) for s, t in pairs]
    edges = [(s, t) for s, t in edges if s != t]
    fixed: list[int | None] = [2 * v if pinned[v] else None for v in range(count)]  # always leaves room
    edges = [(s, t) for s, t in edges if fixed[s] is None or fixed[t] is None]
    reached = {0}
    for _ in range(count):
        reached |= {v for s, t in edges if {s, t} & reached for v in (s, t)}
    assume(len(reached) == count)
    ranks = rank.run(count, edges, fixed)
    assert all(ranks[v] == f for v, f in enumerate(fixed) if f is not None)
    assert all(ranks[t] > ranks[s] for s, t in edges)
    choices = [range(-4, 11) if f is None else [f] for f in fixed]  # an optimum lies within count of a fixed rank
    best = min(
        sum(r[t] - r[s] for s, t in edges) for r in itertools.product(*choices) if all(r[t] > r[s] for s, t in edges)
    )
    assert sum(ranks[t] - ranks[s] for s, t in edges) == best
