/* dossier — the story page.
 *
 * Plain JavaScript, no library. Every piece of article text, name or label is
 * put on the page as text (textContent / createTextNode / SVG text nodes):
 * never through innerHTML, so an article containing <script> or
 * <img onerror=…> shows those characters and runs nothing.
 */
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const TYPES = ["PERSON", "ORG", "LOC", "PRODUCT", "EVENT"];
  const TYPE_NAMES = { PERSON: "People", ORG: "Organisations", LOC: "Places", PRODUCT: "Products", EVENT: "Events" };
  let W = 960, H = 560; // set from the rendered width before each layout

  const state = {
    graph: { nodes: [], edges: [] },
    entities: new Map(), // id -> node
    hiddenTypes: new Set(),
    matches: null, // Set of entity ids matching the search, or null
    selected: null, // {kind, id}
    since: "",
    until: "",
    token: 0, // the evidence panel shows only the latest request
  };

  // -- DOM helpers: text only --------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) throw new Error("no inline handlers"); // listeners only via addEventListener
      node.setAttribute(k, v === true ? "" : String(v));
    }
  }

  function append(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  const $ = (id) => document.getElementById(id);

  function clickable(node, handler) {
    node.classList.add("clickable");
    node.setAttribute("tabindex", "0");
    node.setAttribute("role", "button");
    node.addEventListener("click", (e) => { e.stopPropagation(); handler(); });
    node.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); handler(); }
    });
    return node;
  }

  // -- API ---------------------------------------------------------------
  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, String(v));
    }
    const res = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    let body = null;
    try { body = await res.json(); } catch (_) { body = null; }
    if (!res.ok) {
      const msg = body && body.error ? body.error.message : `HTTP ${res.status}`;
      throw new Error(msg);
    }
    return body;
  }

  function showError(err) {
    const box = $("error");
    box.textContent = "Something went wrong: " + (err && err.message ? err.message : String(err));
    box.hidden = false;
  }

  // -- formatting --------------------------------------------------------
  function money(value, currency) {
    if (value === null || value === undefined) return "";
    const opts = { notation: "compact", compactDisplay: "long", maximumFractionDigits: 2 };
    try {
      if (currency) return new Intl.NumberFormat("en", { ...opts, style: "currency", currency }).format(value);
    } catch (_) { /* an unknown currency code: fall through */ }
    return new Intl.NumberFormat("en", opts).format(value) + (currency ? " " + currency : "");
  }

  function typeClass(type) {
    return TYPES.includes(type) ? type : "OTHER";
  }

  function dot(type) {
    return el("span", { class: "dot " + typeClass(type), "aria-hidden": "true" });
  }

  function names(refs) {
    return (refs || []).map((r) => r.name).join(", ");
  }

  function eventLine(ev) {
    const parts = [el("span", { class: "ev-type" }, pretty(ev.type))];
    const who = names(ev.roles.agent), whom = names(ev.roles.target), where = names(ev.roles.place);
    if (who || whom) parts.push(" — ", who || "?", whom ? " → " + whom : "");
    if (ev.amount) parts.push(" · ", money(ev.amount.value, ev.amount.currency));
    if (where) parts.push(" · in ", where);
    if (ev.modality && ev.modality !== "asserted") parts.push(el("span", { class: "badge modality" }, ev.modality));
    if (ev.flavour) parts.push(el("span", { class: "badge modality" }, ev.flavour));
    return parts;
  }

  // Python offsets count code points; JavaScript strings count UTF-16 units.
  function codePoints(s) {
    return Array.from(s || "");
  }

  // -- passages: a sentence with its supporting spans in <mark> -----------
  function renderPassage(p) {
    const chars = codePoints(p.text);
    const base = p.start, stop = p.start + chars.length;
    const cuts = new Set([base, stop]);
    for (const m of p.marks || []) {
      cuts.add(Math.min(Math.max(m.start, base), stop));
      cuts.add(Math.min(Math.max(m.end, base), stop));
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const quote = el("blockquote");
    if (p.clipped_start) quote.appendChild(document.createTextNode("… "));
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      if (a >= b) continue;
      const text = chars.slice(a - base, b - base).join("");
      const depth = (p.marks || []).filter((m) => m.start <= a && m.end >= b).length;
      if (depth > 0) {
        quote.appendChild(el("mark", { class: depth > 1 ? "strong" : null, "data-testid": "highlight" }, text));
      } else {
        quote.appendChild(document.createTextNode(text));
      }
    }
    if (p.clipped_end) quote.appendChild(document.createTextNode(" …"));
    return el("figure", { class: "passage", "data-testid": "passage", "data-document": p.document },
      quote, caption(p));
  }

  function caption(p) {
    const outlet = p.source || (p.url ? hostOf(p.url) : null) || p.file || "unknown outlet";
    return el("figcaption", null,
      el("span", { class: "outlet", "data-testid": "outlet" }, outlet),
      " · ", el("span", { "data-testid": "date" }, p.published || "undated"),
      p.title ? [" · ", el("cite", null, p.title)] : null);
  }

  function hostOf(url) {
    try { return new URL(url).host; } catch (_) { return null; }
  }

  function passages(list) {
    return (list || []).map(renderPassage);
  }

  // many passages of few articles (an actor's mentions): one caption per article
  function groupedPassages(list) {
    const out = [];
    let group = null, doc = null;
    for (const p of list) {
      if (p.document !== doc) {
        doc = p.document;
        group = el("div", { class: "passage-group", "data-document": p.document }, caption(p));
        out.push(group);
      }
      const fig = renderPassage(p);
      fig.removeChild(fig.querySelector("figcaption"));
      group.appendChild(fig);
    }
    return out;
  }

  // -- the evidence panel ---------------------------------------------------
  function panel(kind, title, facts, sections) {
    const body = $("evidence-body");
    clear(body);
    $("evidence-title").textContent = title;
    body.appendChild(el("p", { class: "kind-label", "data-testid": "evidence-kind" }, kind));
    if (facts && facts.length) {
      body.appendChild(el("ul", { class: "facts" }, facts.map((f) => el("li", null, f))));
    }
    let shown = 0;
    for (const s of sections) {
      if (!s || !s.nodes || !s.nodes.length) continue;
      shown++;
      body.appendChild(el("section", { "data-testid": "evidence-section", "data-section": s.key },
        el("h3", null, s.title, s.count !== undefined ? el("span", { class: "count" }, String(s.count)) : null),
        s.nodes));
    }
    if (!shown) body.appendChild(el("p", { class: "muted" }, "No evidence stored for this item."));
    $("evidence").scrollTop = 0;
    if (window.matchMedia("(max-width: 1200px)").matches) $("evidence").scrollIntoView({ behavior: "smooth" });
  }

  function loading(title) {
    const body = $("evidence-body");
    clear(body);
    $("evidence-title").textContent = title;
    body.appendChild(el("p", { class: "muted" }, "Loading…"));
    return ++state.token;
  }

  function factBlock(lineParts, list) {
    return el("div", { class: "fact" }, el("p", null, lineParts), passages(list));
  }

  async function openEntity(id) {
    const known = state.entities.get(id);
    const token = loading(known ? known.name : "Actor");
    select("entity", id);
    let e;
    try {
      e = await api("/api/entities/" + encodeURIComponent(id), { limit: 20 });
    } catch (err) { showError(err); return; }
    if (token !== state.token) return;
    const facts = [
      [dot(e.type), " ", e.type, " · mentioned ", String(e.salience), " time", e.salience === 1 ? "" : "s"],
    ];
    if (e.aliases.length) facts.push(["Also written: ", e.aliases.join(", ")]);
    const mentionList = el("div", { "data-testid": "mentions" }, groupedPassages(e.mentions.items.flatMap((m) => m.passages)));
    const sections = [
      { key: "events", title: "Events", count: e.events.total,
        nodes: e.events.items.map((ev) => factBlock(eventLine(ev), ev.passages)) },
      { key: "amounts", title: "Money near its mentions", count: e.amounts.total,
        nodes: e.amounts.items.map((a) => factBlock(
          [el("strong", null, money(a.value, a.currency)), a.refers_to ? " · " + a.refers_to : ""], a.passages)) },
      { key: "quotes", title: "Quotes", count: e.quotes.total,
        nodes: e.quotes.items.map((q) => factBlock([el("q", null, q.text)], q.passages)) },
      { key: "relations", title: "Relations", count: e.relations.total,
        nodes: e.relations.items.map((r) => factBlock([r.subject.name, " ", el("em", null, pretty(r.predicate)), " ", r.object.name], r.passages)) },
      { key: "stances", title: "Stances", count: e.stances.total,
        nodes: e.stances.items.map((s) => factBlock([s.holder.name, " ", el("em", null, s.polarity), " ", s.topic.name], s.passages)) },
      { key: "mentions", title: "Mentions", count: e.mentions.total, nodes: [mentionList] },
    ];
    if (e.mentions.total > e.mentions.items.length) {
      let offset = e.mentions.items.length;
      const more = el("button", { type: "button", class: "more", "data-testid": "more-mentions" }, "Show more mentions");
      more.addEventListener("click", async () => {
        try {
          const page = await api("/api/entities/" + encodeURIComponent(id) + "/mentions", { limit: 50, offset });
          append(mentionList, groupedPassages(page.items.flatMap((m) => m.passages)));
          offset += page.items.length;
          if (offset >= page.total || !page.items.length) more.remove();
        } catch (err) { showError(err); }
      });
      sections[sections.length - 1].nodes.push(more);
    }
    panel("Actor", e.name, facts, sections);
  }

  function openEvent(ev) {
    state.token++;
    select("event", ev.id);
    const facts = [eventLine(ev)];
    facts.push(["Date: ", ev.dated ? (ev.time && ev.time.text ? `${ev.date} (“${ev.time.text}”)` : ev.date)
      : (ev.published ? `undated (article published ${ev.published})` : "undated")]);
    panel("Event", pretty(ev.type), facts, [{ key: "evidence", title: "Evidence", nodes: passages(ev.passages) }]);
  }

  function openQuote(q) {
    state.token++;
    select("quote", q.id);
    const facts = [[el("q", null, q.text)], ["Speaker: ", q.speaker ? q.speaker.name : "unattributed", " · ", q.kind]];
    if (q.intermediary) facts.push(["Reported by: ", q.intermediary.name]);
    panel("Quote", q.speaker ? q.speaker.name : "Quote", facts,
      [{ key: "evidence", title: "Evidence", nodes: passages(q.passages) }]);
  }

  function openAmount(a) {
    state.token++;
    select("amount", a.document + ":" + a.start);
    const facts = [[el("strong", null, money(a.value, a.currency)), a.approximate ? " (approximately)" : ""],
      ["As written: ", a.text]];
    if (a.refers_to) facts.push(["About: ", a.refers_to]);
    panel("Amount", money(a.value, a.currency) || a.text, facts,
      [{ key: "evidence", title: "Evidence", nodes: passages(a.passages) }]);
  }

  function pretty(label) {
    return String(label).replace(/_/g, " ");
  }

  async function openLink(link) {
    if (link.edges.length === 1) { openEdge(link.edges[0], link.id); return; }
    const a = state.entities.get(link.source), b = state.entities.get(link.target);
    const label = `${a ? a.name : "?"} → ${b ? b.name : "?"}`;
    const token = loading(label);
    select("edge", link.id);
    try {
      const facts = await Promise.all(link.edges.map((e) => api("/api/facts/" + encodeURIComponent(e.fact))));
      if (token !== state.token) return;
      panel("Links", label, [`${facts.length} facts link ${a ? a.name : "?"} to ${b ? b.name : "?"}.`],
        facts.map((f, i) => ({ key: "fact-" + i, title: f.kind === "event" ? pretty(f.type) : pretty(f.predicate),
          nodes: [factBlock(f.kind === "event" ? eventLine(f)
            : [f.subject.name, " ", el("em", null, pretty(f.predicate)), " ", f.object.name], f.passages)] })));
    } catch (err) { showError(err); }
  }

  async function openEdge(edge, linkId) {
    const a = state.entities.get(edge.source), b = state.entities.get(edge.target);
    const label = `${a ? a.name : "?"} ${edge.kind === "together" ? "&" : "→"} ${b ? b.name : "?"}`;
    const token = loading(label);
    select("edge", linkId || edge.id);
    try {
      if (edge.kind === "together") {
        const page = await api("/api/together", { a: edge.source, b: edge.target, limit: 20 });
        if (token !== state.token) return;
        panel("Mentioned together", label, [`${page.total} passage(s) mention both, close to each other.`],
          [{ key: "evidence", title: "Where they appear together", nodes: page.items.map((it) => passages(it.passages)) }]);
        return;
      }
      const f = await api("/api/facts/" + encodeURIComponent(edge.fact));
      if (token !== state.token) return;
      if (f.kind === "event") {
        panel("Event", pretty(f.type), [eventLine(f)], [{ key: "evidence", title: "Evidence", nodes: passages(f.passages) }]);
      } else {
        panel("Relation", pretty(f.predicate), [[f.subject.name, " ", el("em", null, pretty(f.predicate)), " ", f.object.name]],
          [{ key: "evidence", title: "Evidence", nodes: passages(f.passages) }]);
      }
    } catch (err) { showError(err); }
  }

  async function openDocument(id, hit) {
    const token = loading("Article");
    select("document", id);
    let d;
    try { d = await api("/api/documents/" + encodeURIComponent(id)); } catch (err) { showError(err); return; }
    if (token !== state.token) return;
    const chars = codePoints(d.text);
    const text = el("div", { class: "doc-text", "data-testid": "document-text" });
    let target = null;
    if (hit) {
      text.appendChild(document.createTextNode(chars.slice(0, hit.start).join("")));
      target = el("mark", { "data-testid": "highlight" }, chars.slice(hit.start, hit.end).join(""));
      text.appendChild(target);
      text.appendChild(document.createTextNode(chars.slice(hit.end).join("")));
    } else {
      text.textContent = d.text;
    }
    const p = { ...d, document: d.id };
    panel("Article", d.title || "(untitled)", [caption(p), `${d.language} · ${chars.length} characters`],
      [{ key: "text", title: "Text", nodes: [text] }]);
    if (target) target.scrollIntoView({ block: "center" });
  }

  // -- selection -------------------------------------------------------------
  function select(kind, id) {
    state.selected = { kind, id };
    document.querySelectorAll(".selected").forEach((n) => n.classList.remove("selected"));
    const sel = (attr) => document.querySelectorAll(`[${attr}]`);
    const mark = (nodes, key) => nodes.forEach((n) => { if (n.getAttribute(key) === id) n.classList.add("selected"); });
    if (kind === "entity") { mark(sel("data-entity"), "data-entity"); }
    if (kind === "edge") mark(sel("data-edge"), "data-edge");
    if (kind === "event") mark(sel("data-event"), "data-event");
    if (kind === "quote") mark(sel("data-quote"), "data-quote");
    if (kind === "amount") mark(sel("data-amount"), "data-amount");
    if (kind === "document") mark(sel("data-doc"), "data-doc");
  }

  // -- type filter (doubles as the colour legend) ----------------------------
  function renderTypeFilter(types) {
    const box = $("type-filter");
    for (const n of Array.from(box.querySelectorAll("label"))) n.remove();
    const present = TYPES.filter((t) => types.includes(t)).concat(types.filter((t) => !TYPES.includes(t)));
    for (const t of present) {
      const input = el("input", { type: "checkbox", checked: true, "data-testid": "type-toggle-" + t, value: t });
      input.addEventListener("change", () => {
        if (input.checked) state.hiddenTypes.delete(t); else state.hiddenTypes.add(t);
        applyFilters();
      });
      box.appendChild(el("label", { class: "type-toggle" }, input, dot(t), TYPE_NAMES[t] || t));
    }
  }

  function visible(node) {
    return !state.hiddenTypes.has(node.type);
  }

  function applyFilters() {
    for (const g of document.querySelectorAll("#graph .node")) {
      const n = state.entities.get(g.getAttribute("data-entity"));
      g.classList.toggle("off", !visible(n));
      g.classList.toggle("dimmed", state.matches !== null && !state.matches.has(n.id));
    }
    for (const g of document.querySelectorAll("#graph .edge")) {
      const s = state.entities.get(g.getAttribute("data-source")), t = state.entities.get(g.getAttribute("data-target"));
      g.classList.toggle("off", !(visible(s) && visible(t)));
      g.classList.toggle("dimmed", state.matches !== null && !(state.matches.has(s.id) || state.matches.has(t.id)));
    }
    for (const li of document.querySelectorAll("#actors li")) {
      const n = state.entities.get(li.getAttribute("data-entity"));
      li.classList.toggle("off", !visible(n));
      li.querySelector(".actor").classList.toggle("dimmed", state.matches !== null && !state.matches.has(n.id));
    }
  }

  // -- actors list -----------------------------------------------------------
  function renderActors(nodes) {
    const list = $("actors");
    clear(list);
    for (const n of nodes) {
      const b = el("button", { type: "button", class: "actor", "data-testid": "actor", "data-entity": n.id,
        "data-name": n.name, title: `${n.name} (${n.type})` },
      dot(n.type), el("span", { class: "name" }, n.name), el("span", { class: "n" }, String(n.salience)));
      b.addEventListener("click", () => openEntity(n.id));
      list.appendChild(el("li", { "data-entity": n.id }, b));
    }
    if (!nodes.length) list.appendChild(el("li", { class: "muted" }, "No actors yet."));
  }

  // -- the graph: hand-written SVG with a deterministic force layout ---------
  function radius(n, max) {
    return 9 + 23 * Math.sqrt((n.salience || 0) / (max || 1));
  }

  function layout(nodes, edges) {
    const n = nodes.length;
    const max = Math.max(1, ...nodes.map((x) => x.salience || 0));
    const golden = Math.PI * (3 - Math.sqrt(5));
    // start on a spiral, the most mentioned actors in the middle: no randomness anywhere
    const pos = nodes.map((node, i) => {
      const r = 30 * Math.sqrt(i);
      return { x: 1.4 * r * Math.cos(i * golden), y: r * Math.sin(i * golden), r: radius(node, max) };
    });
    const index = new Map(nodes.map((x, i) => [x.id, i]));
    const springs = [];
    const seen = new Map();
    for (const e of edges) {
      const a = index.get(e.source), b = index.get(e.target);
      if (a === undefined || b === undefined || a === b) continue;
      const key = a < b ? a + ":" + b : b + ":" + a;
      const fact = e.kind !== "together";
      if (seen.has(key)) { if (fact) seen.get(key)[3] = true; continue; }
      // [a, b, strength, is a fact]: facts pull harder than mere co-mentions
      const spring = [a, b, fact ? 0.6 : Math.min(0.35, 0.08 + 0.06 * Math.log1p(e.weight || 1)), fact];
      seen.set(key, spring);
      springs.push(spring);
    }
    const k = 45; // repulsion scale, in layout units (the result is fitted to the canvas afterwards)
    let temp = 60;
    for (let it = 0; it < 500; it++) {
      const dx = new Float64Array(n), dy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let vx = pos[i].x - pos[j].x, vy = pos[i].y - pos[j].y;
          let d = Math.hypot(vx, vy);
          if (d < 0.01) { vx = 0.01 * (i - j); vy = 0.01; d = Math.hypot(vx, vy); }
          const gap = pos[i].r + pos[j].r + 24;
          // repulsion fades out with distance, so distant groups do not push each other off the canvas
          const f = (d < 260 ? (k * k) / d - (k * k) / 260 : 0) + (d < gap ? (gap - d) * 3 : 0);
          dx[i] += (vx / d) * f; dy[i] += (vy / d) * f;
          dx[j] -= (vx / d) * f; dy[j] -= (vy / d) * f;
        }
      }
      for (const [a, b, w, fact] of springs) {
        const vx = pos[a].x - pos[b].x, vy = pos[a].y - pos[b].y;
        const d = Math.max(Math.hypot(vx, vy), 0.01);
        // a spring with a rest length: linked actors stay close, never on top of each other
        const rest = pos[a].r + pos[b].r + (fact ? 130 : 50);
        const f = (d - rest) * w * 1.2;
        dx[a] -= (vx / d) * f; dy[a] -= (vy / d) * f;
        dx[b] += (vx / d) * f; dy[b] += (vy / d) * f;
      }
      for (let i = 0; i < n; i++) {
        // gravity keeps unconnected actors near the story; stronger vertically (wide canvas)
        // the most mentioned actors are pulled hardest: the story sits in the middle
        const g = 0.06 + 0.3 * ((nodes[i].salience || 0) / max);
        dx[i] -= pos[i].x * g;
        dy[i] -= pos[i].y * g * 1.8;
        const d = Math.hypot(dx[i], dy[i]);
        if (d > 0) {
          const step = Math.min(d, temp);
          pos[i].x += (dx[i] / d) * step;
          pos[i].y += (dy[i] / d) * step;
        }
      }
      temp = Math.max(0.3, temp * 0.988);
    }
    // fit to the canvas, leaving room for the labels under the circles
    const L = 70, R = W - 70, T = 18, B = H - 30;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const p of pos) {
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    }
    const sx = (R - L - 2 * 30) / Math.max(x1 - x0, 1), sy = (B - T - 2 * 30) / Math.max(y1 - y0, 1);
    const sc = Math.min(sx, sy * 1.6, 3), scy = Math.min(sy, sx * 1.6, 3);
    const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
    for (const p of pos) {
      p.x = W / 2 + (p.x - mx) * sc;
      p.y = (T + B) / 2 + (p.y - my) * scy;
    }
    // then push apart nodes whose circles or labels still overlap (a label sits under its circle)
    const maxSal = Math.max(1, ...nodes.map((x) => x.salience || 0));
    const half = nodes.map((node, i) => {
      const perChar = (node.salience || 0) < maxSal * 0.15 ? 3.4 : 4.3; // minor names are smaller
      return Math.max(pos[i].r, perChar * Math.min(node.name.length, 28)) + 6;
    });
    half.forEach((h, i) => { pos[i].half = h; });
    for (let it = 0; it < 80; it++) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const vx = pos[j].x - pos[i].x, vy = pos[j].y - pos[i].y;
          const ox = half[i] + half[j] - Math.abs(vx);
          const oy = pos[i].r + pos[j].r + 22 - Math.abs(vy);
          if (ox > 0 && oy > 0) {
            moved = true;
            // move apart along the axis that needs the smaller move
            if (ox * 0.6 < oy) {
              const push = (ox / 2) * (vx >= 0 ? 1 : -1);
              pos[i].x -= push; pos[j].x += push;
            } else {
              const push = (oy / 2) * (vy >= 0 ? 1 : -1);
              pos[i].y -= push; pos[j].y += push;
            }
          }
        }
      }
      for (let i = 0; i < n; i++) {
        const p = pos[i];
        p.x = Math.min(R - half[i] + 40, Math.max(L + half[i] - 40, p.x));
        p.y = Math.min(B - p.r - 10, Math.max(T + p.r, p.y));
      }
      if (!moved) break;
    }
    return pos;
  }

  function renderGraph(graph) {
    const root = $("graph");
    clear(root);
    // lay out in real pixels, so the labels keep their size whatever the window
    W = Math.round(Math.max(480, root.getBoundingClientRect().width || 960));
    H = Math.round(Math.max(440, Math.min(680, W * 0.76)));
    root.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const nodes = graph.nodes;
    if (!nodes.length) {
      root.appendChild(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, "No actors in the store yet."));
      return;
    }
    // one link per ordered pair of actors, carrying every fact between them;
    // a "mentioned together" link only where no fact links the pair
    const links = [];
    const byOrdered = new Map();
    for (const e of graph.edges) {
      if (e.kind === "together" || e.source === e.target) continue;
      const key = e.source + ">" + e.target;
      if (!byOrdered.has(key)) {
        const link = { id: "link:" + key, source: e.source, target: e.target, kind: "relation", edges: [] };
        byOrdered.set(key, link);
        links.push(link);
      }
      const link = byOrdered.get(key);
      link.edges.push(e);
      if (e.kind === "event") link.kind = "event";
    }
    const factPairs = new Set(links.map((l) => [l.source, l.target].sort().join("|")));
    for (const e of graph.edges) {
      if (e.kind === "together" && !factPairs.has([e.source, e.target].sort().join("|"))) {
        links.push({ id: e.id, source: e.source, target: e.target, kind: "together", edges: [e], weight: e.weight });
      }
    }
    const pos = layout(nodes, links);
    const at = new Map(nodes.map((x, i) => [x.id, pos[i]]));

    const defs = svg("defs");
    for (const kind of ["event", "relation"]) {
      defs.appendChild(svg("marker", { id: "arrow-" + kind, viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse", class: "arrow " + kind },
      svg("path", { d: "M0,0 L10,5 L0,10 z", fill: kind === "event" ? "#9b2f42" : "#445264" })));
    }
    root.appendChild(defs);

    const edgeLayer = svg("g", { class: "edges" });
    const labelLayer = svg("g", { class: "edge-labels" });
    const nodeLayer = svg("g", { class: "nodes" });
    root.append(edgeLayer, labelLayer, nodeLayer);

    const pairCount = new Map();
    for (const l of links) {
      const key = [l.source, l.target].sort().join("|");
      pairCount.set(key, (pairCount.get(key) || 0) + 1);
    }
    const ordered = links.slice().sort((a, b) => (a.kind === "together" ? 0 : 1) - (b.kind === "together" ? 0 : 1));
    const pending = [];
    for (const l of ordered) {
      const s = at.get(l.source), t = at.get(l.target);
      if (!s || !t) continue;
      // two links between one pair (A → B and B → A): bend them apart
      const bend = pairCount.get([l.source, l.target].sort().join("|")) > 1 ? 26 : 0;
      const vx = t.x - s.x, vy = t.y - s.y;
      const d = Math.max(Math.hypot(vx, vy), 1);
      const nx = -vy / d, ny = vx / d;
      const mx = (s.x + t.x) / 2 + nx * bend, my = (s.y + t.y) / 2 + ny * bend;
      // start and end on the circles' rims, aiming at the control point
      const a0 = Math.atan2(my - s.y, mx - s.x), a1 = Math.atan2(my - t.y, mx - t.x);
      const x0 = s.x + Math.cos(a0) * s.r, y0 = s.y + Math.sin(a0) * s.r;
      const pad = l.kind === "together" ? 0 : 3;
      const x1 = t.x + Math.cos(a1) * (t.r + pad), y1 = t.y + Math.sin(a1) * (t.r + pad);
      const dPath = `M${x0.toFixed(1)},${y0.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${x1.toFixed(1)},${y1.toFixed(1)}`;
      const a = state.entities.get(l.source), b = state.entities.get(l.target);
      const labels = Array.from(new Set(l.edges.filter((e) => e.label).map((e) => pretty(e.label))));
      const title = l.kind === "together"
        ? `${a.name} and ${b.name} are mentioned together ${l.weight} time(s)`
        : `${a.name} → ${b.name}: ${labels.join(", ")}`;
      const g = svg("g", { class: "edge " + l.kind, "data-testid": "edge", "data-edge": l.id, "data-kind": l.kind,
        "data-source": l.source, "data-target": l.target, tabindex: 0, role: "button", "aria-label": title },
      svg("title", null, title),
      svg("path", { class: "hit", d: dPath }),
      svg("path", { class: "line", d: dPath, "marker-end": l.kind === "together" ? null : `url(#arrow-${l.kind})`,
        "stroke-width": l.kind === "together" ? Math.min(4, 0.8 + Math.log1p(l.weight || 1) * 0.6).toFixed(2) : null }));
      g.addEventListener("click", () => openLink(l));
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openLink(l); } });
      edgeLayer.appendChild(g);
      if (labels.length) {
        // candidate places along the curve, the middle first
        const spots = [0.5, 0.4, 0.6, 0.3, 0.7].map((t) => ({
          x: (1 - t) * (1 - t) * x0 + 2 * t * (1 - t) * mx + t * t * x1,
          y: (1 - t) * (1 - t) * y0 + 2 * t * (1 - t) * my + t * t * y1 - 4,
        }));
        const shown = labels.slice(0, 2).join(" · ") + (labels.length > 2 ? ` +${labels.length - 2}` : "");
        pending.push({ link: l, spots, text: shown, priority: l.kind === "event" ? 0 : 1 });
      }
    }
    // labels: events first, then relations; a label that would cover another
    // label or an actor is left out (the link's tooltip and the evidence panel still name it)
    const placed = [];
    const circles = pos;
    pending.sort((a, b) => a.priority - b.priority);
    for (const lab of pending) {
      const w = 5.8 * lab.text.length + 6, h = 14;
      const free = (p) => {
        const box = { x0: p.x - w / 2, x1: p.x + w / 2, y0: p.y - h + 3, y1: p.y + 3 };
        if (box.x0 < 0 || box.x1 > W) return null;
        if (placed.some((o) => box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1)) return null;
        const onNode = circles.some((c) => {
          const nx = Math.max(box.x0, Math.min(c.x, box.x1)), ny = Math.max(box.y0, Math.min(c.y, box.y1));
          return Math.hypot(nx - c.x, ny - c.y) < c.r + 2 || (box.x0 < c.x + c.half && c.x - c.half < box.x1 &&
            box.y0 < c.y + c.r + 18 && c.y + c.r + 4 < box.y1); // nor on an actor's name
        });
        return onNode ? null : box;
      };
      let spot = null, box = null;
      for (const p of lab.spots) { box = free(p); if (box) { spot = p; break; } }
      if (!spot) continue;
      placed.push(box);
      const text = svg("text", { x: spot.x.toFixed(1), y: spot.y.toFixed(1), "text-anchor": "middle",
        class: "edge-label " + lab.link.kind, "data-edge": lab.link.id }, lab.text);
      text.addEventListener("click", () => openLink(lab.link));
      labelLayer.appendChild(text);
    }

    const max = Math.max(1, ...nodes.map((x) => x.salience || 0));
    nodes.forEach((n, i) => {
      const p = pos[i];
      const minor = (n.salience || 0) < max * 0.15;
      const g = svg("g", { class: `node ${typeClass(n.type)}${minor ? " minor" : ""}`, "data-testid": "node",
        "data-entity": n.id, "data-name": n.name, "data-type": n.type, tabindex: 0, role: "button",
        "aria-label": `${n.name}, ${n.type}, mentioned ${n.salience} times`,
        transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})` },
      svg("title", null, `${n.name} (${n.type}) — ${n.salience} mentions`),
      svg("circle", { r: p.r.toFixed(1) }),
      svg("text", { y: (p.r + 14).toFixed(1), "text-anchor": "middle" }, n.name));
      g.addEventListener("click", () => openEntity(n.id));
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openEntity(n.id); } });
      nodeLayer.appendChild(g);
    });
  }

  // -- timeline ----------------------------------------------------------------
  async function loadTimeline() {
    const page = await api("/api/timeline", { limit: 200, since: state.since, until: state.until });
    const list = $("timeline");
    clear(list);
    $("timeline-count").textContent = page.total > page.items.length ? `${page.items.length} of ${page.total}` : String(page.total);
    for (const ev of page.items) {
      const when = ev.dated ? ev.date : "undated";
      const li = el("li", { class: ev.dated ? "dated" : "undated", "data-testid": "timeline-item", "data-event": ev.id,
        "data-dated": String(ev.dated) },
      el("span", { class: "when" }, when), " ", eventLine(ev),
      !ev.dated && ev.published ? el("span", { class: "badge undated" }, "article of " + ev.published) : null);
      clickable(li, () => openEvent(ev));
      list.appendChild(li);
    }
    if (!page.items.length) {
      list.appendChild(el("li", { class: "muted empty" },
        state.since || state.until ? "No event in this date range." : "No events extracted yet."));
    }
  }

  // -- quotes, grouped by speaker ----------------------------------------------
  async function loadQuotes() {
    const page = await api("/api/quotes", { limit: 200 });
    const box = $("quotes");
    clear(box);
    $("quotes-count").textContent = String(page.total);
    const groups = new Map();
    for (const q of page.items) {
      const key = q.speaker ? q.speaker.id : "";
      if (!groups.has(key)) groups.set(key, { speaker: q.speaker, quotes: [] });
      groups.get(key).quotes.push(q);
    }
    const sorted = Array.from(groups.values()).sort((a, b) => b.quotes.length - a.quotes.length);
    for (const g of sorted) {
      const head = g.speaker
        ? el("button", { type: "button", class: "linkish", "data-testid": "speaker-name" }, g.speaker.name)
        : el("span", { class: "muted" }, "Unattributed");
      if (g.speaker) head.addEventListener("click", () => openEntity(g.speaker.id));
      const list = el("ol");
      for (const q of g.quotes) {
        const li = el("li", { class: "quote", "data-testid": "quote", "data-quote": q.id },
          el("q", null, q.text), q.kind !== "direct" ? el("span", { class: "badge kind" }, q.kind) : null);
        clickable(li, () => openQuote(q));
        list.appendChild(li);
      }
      box.appendChild(el("div", { class: "speaker", "data-testid": "speaker" },
        el("h3", null, g.speaker ? dot(g.speaker.type) : null, head), list));
    }
    if (!page.items.length) box.appendChild(el("p", { class: "muted" }, "No quotes extracted yet."));
  }

  // -- amounts -----------------------------------------------------------------
  async function loadAmounts() {
    const page = await api("/api/amounts", { limit: 200 });
    const list = $("amounts");
    clear(list);
    $("amounts-count").textContent = String(page.total);
    for (const a of page.items) {
      const li = el("li", { "data-testid": "amount", "data-amount": a.document + ":" + a.start },
        el("span", { class: "amount-value" }, (a.approximate ? "≈ " : "") + money(a.value, a.currency)),
        el("span", { class: "amount-text" }, a.text, a.refers_to ? " · " + a.refers_to : ""));
      clickable(li, () => openAmount(a));
      list.appendChild(li);
    }
    if (!page.items.length) list.appendChild(el("li", { class: "muted empty" }, "No amounts found yet."));
  }

  // -- documents ---------------------------------------------------------------
  async function loadDocuments() {
    const page = await api("/api/documents", { limit: 200 });
    const list = $("documents");
    clear(list);
    $("documents-count").textContent = page.total > page.items.length ? `${page.items.length} of ${page.total}` : String(page.total);
    for (const d of page.items) {
      if (!inDateRange(d.published)) continue;
      const li = el("li", { "data-testid": "document", "data-doc": d.id },
        el("div", { class: "doc-title" }, d.title || "(untitled)"),
        el("div", { class: "meta" }, [d.source || (d.url ? hostOf(d.url) : null) || d.file || "unknown outlet",
          d.published || "undated", d.language].filter(Boolean).join(" · ")));
      clickable(li, () => openDocument(d.id));
      list.appendChild(li);
    }
  }

  function inDateRange(date) {
    if (!state.since && !state.until) return true;
    if (!date) return false;
    if (state.since && date < state.since) return false;
    if (state.until && date.slice(0, state.until.length) > state.until) return false;
    return true;
  }

  // -- search ------------------------------------------------------------------
  async function runSearch(q) {
    q = q.trim();
    if (!q) { clearSearch(); return; }
    let hits, ents;
    try {
      [hits, ents] = await Promise.all([api("/api/search", { q, limit: 50 }), api("/api/entities", { q, limit: 30 })]);
    } catch (err) { showError(err); return; }
    $("search-results").hidden = false;
    $("search-clear").hidden = false;
    $("search-count").textContent = `${hits.total} match${hits.total === 1 ? "" : "es"} in the articles, ${ents.total} actor${ents.total === 1 ? "" : "s"}`;
    const chips = $("search-entities");
    clear(chips);
    for (const e of ents.items) {
      const b = el("button", { type: "button", class: "chip", "data-testid": "search-entity", "data-entity": e.id }, dot(e.type), e.name);
      b.addEventListener("click", () => openEntity(e.id));
      chips.appendChild(b);
    }
    const list = $("search-hits");
    clear(list);
    for (const h of hits.items) {
      const li = el("li", { "data-testid": "search-hit", "data-doc": h.document }, passages(h.passages));
      clickable(li, () => openDocument(h.document, { start: h.start, end: h.end }));
      list.appendChild(li);
    }
    if (!hits.items.length) list.appendChild(el("li", { class: "muted" }, "No match in the articles."));
    state.matches = ents.total ? new Set(ents.items.map((e) => e.id)) : null;
    applyFilters();
  }

  function clearSearch() {
    $("search-input").value = "";
    $("search-results").hidden = true;
    $("search-clear").hidden = true;
    state.matches = null;
    applyFilters();
  }

  // the lists that follow the date filter; body[data-busy] while they reload
  async function refresh() {
    document.body.setAttribute("data-busy", "true");
    try { await Promise.all([loadTimeline(), loadDocuments()]); } catch (err) { showError(err); }
    finally { document.body.removeAttribute("data-busy"); }
  }

  // -- start -------------------------------------------------------------------
  async function start() {
    $("search-form").addEventListener("submit", (e) => { e.preventDefault(); runSearch($("search-input").value); });
    $("search-clear").addEventListener("click", clearSearch);
    const dateOk = (v) => !v || /^\d{4}(-\d{2}(-\d{2})?)?$/.test(v);
    $("date-apply").addEventListener("click", async () => {
      const since = $("date-since").value.trim(), until = $("date-until").value.trim();
      if (!dateOk(since) || !dateOk(until)) { showError(new Error("dates are written YYYY, YYYY-MM or YYYY-MM-DD")); return; }
      state.since = since; state.until = until;
      $("error").hidden = true;
      await refresh();
    });
    $("date-reset").addEventListener("click", async () => {
      $("date-since").value = ""; $("date-until").value = "";
      state.since = ""; state.until = "";
      await refresh();
    });

    try {
      const [summary, graph] = await Promise.all([api("/api/summary"), api("/api/graph", { limit: 25 })]);
      const c = summary.counts;
      const range = summary.published && summary.published.first
        ? ` · published ${summary.published.first}${summary.published.last !== summary.published.first ? " – " + summary.published.last : ""}`
        : "";
      $("summary").textContent = `${c.documents} article${c.documents === 1 ? "" : "s"} · ${c.entities} actors · ` +
        `${c.amounts} amounts · ${c.quotes} quotes · ${c.events} events · ${c.relations} relations` + range;
      state.graph = graph;
      for (const n of graph.nodes) state.entities.set(n.id, n);
      renderTypeFilter(summary.types.length ? summary.types : TYPES);
      renderActors(graph.nodes);
      renderGraph(graph);
      await Promise.all([loadTimeline(), loadQuotes(), loadAmounts(), loadDocuments()]);
    } catch (err) {
      showError(err);
    } finally {
      document.body.setAttribute("data-ready", "true");
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
