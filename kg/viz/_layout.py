"""Starting positions for big graphs, so the browser's physics needs few steps to settle.

A radial tree: a breadth-first tree from the best-connected entity of each component, each
subtree given an angular wedge in proportion to its size, rings spaced so that every ring holds
the same area per node. Neighbours start near each other and nobody starts on top of anybody, so
the physics only has to relax the picture, not untangle it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable

from ._model import Edge, Entity


def radial_positions(
    entities: dict[str, Entity], edges: Iterable[Edge], ids: set[str], spacing: float = 30.0
) -> dict[str, tuple[float, float]]:
    """Positions (x, y) for the entities in `ids`, `spacing` setting the density."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.source in ids and e.target in ids:
            neighbours[e.source].append(e.target)
            neighbours[e.target].append(e.source)
    by_degree = sorted(ids, key=lambda i: (-entities[i].degree, i))
    depth: dict[str, int] = {}
    children: dict[str, list[str]] = defaultdict(list)
    roots: list[str] = []
    for root in by_degree:
        if root in depth:
            continue
        roots.append(root)
        depth[root] = 1
        queue = deque([root])
        while queue:
            node = queue.popleft()
            for n in sorted(neighbours[node], key=lambda i: (-entities[i].degree, i)):
                if n not in depth:
                    depth[n] = depth[node] + 1
                    children[node].append(n)
                    queue.append(n)

    size = _subtree_sizes(roots, children)
    radius = {0: 0.0}
    total = 0
    for d, count in sorted(Counter(depth.values()).items()):
        total += count
        radius[d] = spacing * math.sqrt(total)  # equal area per node on every ring

    positions: dict[str, tuple[float, float]] = {}
    stack: list[tuple[list[str], float, float]] = [(roots, 0.0, 2 * math.pi)]
    while stack:
        group, start, end = stack.pop()
        weight = sum(size[n] for n in group)
        angle = start
        for node in group:
            width = (end - start) * size[node] / weight
            r = (radius[depth[node] - 1] + radius[depth[node]]) / 2
            middle = angle + width / 2
            positions[node] = (round(r * math.cos(middle), 1), round(r * math.sin(middle), 1))
            if children[node]:
                stack.append((children[node], angle, angle + width))
            angle += width
    return positions


def _subtree_sizes(roots: list[str], children: dict[str, list[str]]) -> dict[str, int]:
    size: dict[str, int] = {}
    for root in roots:
        order, stack = [], [root]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(children[node])
        for node in reversed(order):
            size[node] = 1 + sum(size[c] for c in children[node])
    return size
