"""The rule graph, drawn in layers from Snakemake's DOT output (no Graphviz needed)."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from genlab.plots.base import plt, save_figure

NODE = re.compile(r'^\s*(\d+)\s*\[.*?label\s*=\s*"([^"]+)"', re.M)
EDGE = re.compile(r"^\s*(\d+)\s*->\s*(\d+)", re.M)


def parse_dot(dot: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Snakemake's --rulegraph DOT → ({node id: rule name}, [(from id, to id)])."""
    return dict(NODE.findall(dot)), EDGE.findall(dot)


def plot_rulegraph(labels: dict[str, str], edges: list[tuple[str, str]], path: str | Path) -> None:
    """Rules in columns by dependency depth (data on the left, the report on the right)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(labels)
    graph.add_edges_from(edges)
    for depth, layer in enumerate(nx.topological_generations(graph)):
        for node in layer:
            graph.nodes[node]["depth"] = depth
    pos = nx.multipartite_layout(graph, subset_key="depth")
    depth = max(nx.get_node_attributes(graph, "depth").values(), default=0) + 1
    tallest = max(sum(1 for n in graph if graph.nodes[n]["depth"] == d) for d in range(depth)) if labels else 1
    fig, ax = plt.subplots(figsize=(2.2 * depth, 0.6 * tallest + 1))
    nx.draw_networkx_edges(graph, pos, ax=ax, arrowsize=10, edge_color="0.65", node_size=2600, width=0.8)
    nx.draw_networkx_labels(graph, pos, labels, ax=ax, font_size=9,
                            bbox={"boxstyle": "round,pad=0.3", "fc": "#eef3fb", "ec": "#4a6fa5"})
    ax.axis("off")
    save_figure(fig, path)
