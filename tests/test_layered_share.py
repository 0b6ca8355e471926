"""Label nodes of long edges share a layer with other labels instead of taking one alone."""

from __future__ import annotations

from svgarch.layout.layered import LayeredEdge, LayeredNode, layered_layout
from svgarch.layout.layered.share import share_layers


def _chain_with_loop() -> tuple[list[LayeredNode], list[LayeredEdge]]:
    """a → la → b → c → lc → d, and a loop d → a whose label node ll hangs between them."""
    blocks = [LayeredNode(name, 80.0, 40.0) for name in "abcd"]
    labels = [LayeredNode(name, 60.0, 18.0, ordered=False) for name in ("la", "lc", "ll")]
    pairs = [("a", "la"), ("la", "b"), ("b", "c"), ("c", "lc"), ("lc", "d"), ("a", "ll"), ("ll", "d")]
    edges = [LayeredEdge(s, t, minlen=1 if "l" in s + t else 2) for s, t in pairs]
    return blocks + labels, edges


def test_a_label_alone_in_its_layer_joins_another_labels_layer() -> None:
    # a0 b2 c4 d6 in a chain, c → la → d with la in rank 5, a loop's label ll (a → ll → d) alone in rank 1
    links = [(0, 1), (1, 2), (2, 4), (4, 3), (0, 5), (5, 3)]
    ranks = [0, 2, 4, 6, 5, 1]
    free = [False, False, False, False, True, True]
    share_layers(links, [2, 2, 1, 1, 1, 1], free, [None] * 6, [40, 40, 40, 40, 18, 18], [-1] * 6, [], ranks)
    assert ranks[5] == 5  # beside la, its links still pointing down


def test_a_short_edges_label_stays() -> None:
    links = [(0, 2), (2, 1), (1, 3), (3, 4)]  # a0 → l1 → b2 (l alone), b → m → c4 with m in rank 3
    ranks = [0, 2, 1, 3, 4]
    share_layers(
        links, [1] * 4, [False, False, True, True, False], [None] * 5, [40, 40, 18, 18, 40], [-1] * 5, [], ranks
    )
    assert ranks[2] == 1


def test_no_layer_holds_a_label_alone_when_another_labels_layer_is_in_its_span() -> None:
    nodes, edges = _chain_with_loop()
    result = layered_layout(nodes, edges)
    held = {result.ranks[n.id] for n in nodes if n.ordered}
    alone = [
        n.id
        for n in nodes
        if not n.ordered
        and result.ranks[n.id] not in held
        and sum(result.ranks[m.id] == result.ranks[n.id] for m in nodes) == 1
    ]
    assert alone in ([], ["la"], ["lc"])  # the loop's label sits with a label of the chain


def test_a_label_keeps_out_of_frames_it_was_not_beside() -> None:
    # a0 in cluster 0 over ranks 0-2 with b1; label 2 outside, alone in rank 5, a label 3 in rank 1
    links = [(0, 2), (2, 4), (1, 3), (3, 4)]
    ranks = [0, 2, 5, 1, 6]
    free = [False, False, True, True, False]
    share_layers(links, [1] * 4, free, [None] * 5, [40, 40, 18, 18, 40], [0, 0, -1, -1, -1], [-1], ranks)
    assert ranks[2] == 5  # rank 1 lies inside cluster 0's frame: it stays where it was


def test_a_caption_along_the_layers_runs_on_over_its_frames_next_rank() -> None:
    nodes = [LayeredNode("a", 40.0, 30.0, group="g"), LayeredNode("b", 40.0, 30.0, group="g")]
    edges = [LayeredEdge("a", "b")]
    bare = layered_layout(nodes, edges, direction="LR")
    wide = layered_layout(nodes, edges, direction="LR", captions={"g": (100.0, 0.0)})
    step = bare.centres["b"][0] - bare.centres["a"][0]
    assert wide.centres["b"][0] - wide.centres["a"][0] == step  # the frame's two ranks hold the caption
    longer = layered_layout(nodes, edges, direction="LR", captions={"g": (step + 100.0, 0.0)})
    a, b = longer.centres["a"][0], longer.centres["b"][0]
    assert b - a > step  # a caption longer than both ranks: they move apart
