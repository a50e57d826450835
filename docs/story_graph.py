"""Draw a story graph (a ``dossier export --format graphml`` file) as SVG.

No plotting library needed: networkx lays the graph out and the SVG is
written by hand. Entities that take part in a relation or an event are drawn,
coloured by type and sized by mentions; each edge is labelled with its
predicate or event type (and ×N when several facts share it).

    python docs/story_graph.py story.graphml -o story-graph.svg
    chromium --headless --no-sandbox --hide-scrollbars --window-size=1400,900 \\
        --screenshot=docs/story-graph.png story-graph.svg
"""

from __future__ import annotations

import argparse
import math
from html import escape
from pathlib import Path

import networkx as nx

COLOURS = {"PERSON": "#1f77b4", "ORG": "#d62728", "LOC": "#2ca02c", "PRODUCT": "#9467bd", "EVENT": "#ff7f0e"}
EVENT_COLOUR, RELATION_COLOUR = "#e6550d", "#636363"


def _fit(pos: dict, box: tuple[float, float, float, float]) -> dict[str, tuple[float, float]]:
    """Scale positions into box = (x, y, width, height)."""
    bx, by, bw, bh = box
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    fx = (lambda v: bx + bw / 2) if x1 == x0 else (lambda v: bx + (v - x0) / (x1 - x0) * bw)
    fy = (lambda v: by + bh / 2) if y1 == y0 else (lambda v: by + (v - y0) / (y1 - y0) * bh)
    return {n: (fx(p[0]), fy(p[1])) for n, p in pos.items()}


def layout(g: nx.MultiDiGraph, box: tuple[float, float, float, float], seed: int) -> dict[str, tuple[float, float]]:
    """The largest component fills the left of the box; the others are laid
    out in a grid of cells on the right."""
    simple = nx.Graph(g.to_undirected())
    comps = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c))

    def part(nodes: list[str]) -> nx.Graph:  # a copy in a fixed node order (views iterate sets)
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in simple.edges(nodes)))
        return sub

    if not comps:
        return {}
    bx, by, bw, bh = box
    main_w = bw * (0.58 if len(comps) > 1 else 1.0)
    main = part(comps[0])
    pos = _fit(nx.spring_layout(main, seed=seed, k=2.4 / math.sqrt(len(main)), iterations=800),
               (bx + 60, by + 30, main_w - 120, bh - 60))
    rest = comps[1:]
    if rest:
        cols = 2
        rows = math.ceil(len(rest) / cols)
        cw, ch = (bw - main_w) / cols, bh / rows
        for i, comp in enumerate(rest):
            cx, cy = bx + main_w + (i % cols) * cw, by + (i // cols) * ch
            if len(comp) == 2:  # diagonal, so the two labels never collide
                local = {comp[0]: (0.0, 0.0), comp[1]: (1.0, 1.0)}
                pos.update(_fit(local, (cx + 0.22 * cw, cy + 0.3 * ch, 0.56 * cw, 0.5 * ch)))
            else:
                local = nx.spring_layout(part(comp), seed=seed, iterations=300)
                pos.update(_fit(local, (cx + 0.2 * cw, cy + 0.2 * ch, 0.6 * cw, 0.7 * ch)))
    return pos


def render(g: nx.MultiDiGraph, width: int = 1400, height: int = 900, seed: int = 7, title: str = "") -> str:
    if not g.is_multigraph():  # read_graphml gives a DiGraph when no two edges share their ends
        g = nx.MultiDiGraph(g)
    keep = sorted(n for n in g if g.degree(n) > 0)
    g2 = nx.MultiDiGraph()  # built in a fixed order: subgraph views iterate sets, whose order varies per run
    g2.add_nodes_from((n, g.nodes[n]) for n in keep)
    g2.add_edges_from(sorted(((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)), key=lambda e: e[:3]))
    g = g2
    top = 96
    pos = layout(g, (10, top, width - 20, height - top - 10), seed)
    radius = {n: 7 + 2.2 * math.sqrt(int(d.get("mentions", 1) or 1)) for n, d in g.nodes(data=True)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
           '<rect width="100%" height="100%" fill="white"/>',
           "<defs>"]
    for name, colour in (("event", EVENT_COLOUR), ("relation", RELATION_COLOUR)):
        out.append(f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                   f'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>')
    out.append("</defs>")
    if title:
        out.append(f'<text x="24" y="38" font-size="22" font-weight="bold" fill="#222">{escape(title)}</text>')

    # edges: parallel edges between the same two nodes bend apart
    pairs: dict[frozenset, list] = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        pairs.setdefault(frozenset((u, v)), []).append((u, v, d))
    labels = []
    for group in pairs.values():
        for i, (u, v, d) in enumerate(group):
            (x1, y1), (x2, y2) = pos[u], pos[v]
            dx, dy = x2 - x1, y2 - y1
            dist = math.hypot(dx, dy) or 1
            ux, uy = dx / dist, dy / dist
            bend = (i - (len(group) - 1) / 2) * 90
            if (u, v) != tuple(sorted((u, v))):
                bend = -bend
            nx_, ny_ = -uy, ux
            # start and end on the circles
            sx, sy = x1 + ux * radius[u], y1 + uy * radius[u]
            ex, ey = x2 - ux * (radius[v] + 2), y2 - uy * (radius[v] + 2)
            cx, cy = (sx + ex) / 2 + nx_ * bend, (sy + ey) / 2 + ny_ * bend
            kind = d.get("kind", "relation")
            colour = EVENT_COLOUR if kind == "event" else RELATION_COLOUR
            dash = "" if kind == "event" else ' stroke-dasharray="5 3"'
            width_ = 1.4 + 0.8 * min(int(d.get("count", 1)), 4)
            out.append(f'<path d="M {sx:.1f} {sy:.1f} Q {cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}" fill="none" '
                       f'stroke="{colour}" stroke-width="{width_:.1f}"{dash} marker-end="url(#arrow-{kind})" opacity="0.85"/>')
            lx, ly = (sx + 2 * cx + ex) / 4, (sy + 2 * cy + ey) / 4
            text = d.get("label", "") + (f" ×{d['count']}" if int(d.get("count", 1)) > 1 else "")
            labels.append((lx, ly, text, colour))
    placed: list[tuple[float, float, float]] = []
    for x, y, text, colour in labels:
        w = 6.2 * len(text) + 8
        for _ in range(6):  # nudge a label off the ones already drawn
            if not any(abs(x - px) < (w + pw) / 2 and abs(y - py) < 16 for px, py, pw in placed):
                break
            y += 16
        placed.append((x, y, w))
        out.append(f'<rect x="{x - w / 2:.1f}" y="{y - 9:.1f}" width="{w:.1f}" height="16" rx="3" fill="white" '
                   f'opacity="0.85"/>')
        out.append(f'<text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="11" text-anchor="middle" fill="{colour}">'
                   f'{escape(text)}</text>')
    for n, d in g.nodes(data=True):
        x, y = pos[n]
        colour = COLOURS.get(d.get("type", ""), "#7f7f7f")
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius[n]:.1f}" fill="{colour}" stroke="white" '
                   f'stroke-width="2"/>')
        label_w = 8.6 * len(d.get("label", n))
        tx = min(max(x, label_w / 2 + 6), width - label_w / 2 - 6)  # keep the name inside the picture
        out.append(f'<text x="{tx:.1f}" y="{y - radius[n] - 5:.1f}" font-size="14" font-weight="bold" '
                   f'text-anchor="middle" fill="#222" stroke="white" stroke-width="3" paint-order="stroke">'
                   f'{escape(d.get("label", n))}</text>')
    # legend: one line under the title
    lx, ly = 28, 70
    present = [t for t in COLOURS if any(d.get("type") == t for _, d in g.nodes(data=True))]
    for t in present:
        out.append(f'<circle cx="{lx + 7}" cy="{ly - 4}" r="7" fill="{COLOURS[t]}"/>'
                   f'<text x="{lx + 19}" y="{ly}" font-size="13" fill="#222">{t}</text>')
        lx += 32 + 9 * len(t)
    lx += 16
    for kind, colour, dash in (("event", EVENT_COLOUR, ""), ("relation", RELATION_COLOUR, ' stroke-dasharray="5 3"')):
        out.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" stroke-width="2.5"{dash}/>'
                   f'<text x="{lx + 28}" y="{ly}" font-size="13" fill="#222">{kind}</text>')
        lx += 40 + 9 * len(kind)
    out.append(f'<text x="{lx + 10}" y="{ly}" font-size="12" fill="#555">node size: mentions · edge width: facts</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graphml", type=Path, help="a dossier GraphML export")
    ap.add_argument("-o", "--output", type=Path, default=Path("story-graph.svg"))
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--seed", type=int, default=7, help="layout seed (the same seed draws the same picture)")
    ap.add_argument("--title", default="", help="a title drawn at the top left")
    a = ap.parse_args()
    g = nx.read_graphml(a.graphml)
    a.output.write_text(render(g, a.width, a.height, a.seed, a.title), encoding="utf-8")
    print(f"wrote {a.output}")


if __name__ == "__main__":
    main()
