// Draws each replica's pipeline as its stages in order, with every stage's live figures and the
// hop to the next stage between them; a lost stage keeps its place, marked, until it is re-placed.
"use strict";

const Pipeline = (() => {
  const f = Charts.format;

  function text(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function row(table, label, name, value) {
    const tr = table.insertRow();
    tr.insertCell().textContent = label;
    const cell = tr.insertCell();
    cell.dataset.figure = name;
    cell.textContent = value;
  }

  function shortSilo(silo) {
    // Orleans' parsable silo address is "S127.0.0.1:11111:generation": the endpoint is what a person knows.
    const m = /^S?([^:]+:\d+)/.exec(silo || "");
    return m ? m[1] : silo;
  }

  function stageBox(stage) {
    const live = stage.live;
    const box = text("div", "stage");
    box.dataset.key = stage.key;
    box.dataset.state = stage.state;
    box.dataset.firstLayer = stage.first_layer;
    box.dataset.lastLayer = stage.last_layer;
    const title = text("div", "title");
    title.append(text("span", "name", `stage ${stage.stage}`), text("span", "state", stage.state));
    box.append(title);
    box.append(text("div", "layers", `layers ${stage.first_layer}-${stage.last_layer}`));
    box.append(text("div", "where", `${shortSilo(stage.silo)} · ${stage.device || "–"}`));
    if (stage.reason) box.append(text("div", "reason", stage.reason));
    if (stage.loss && stage.loss.replaced_by && stage.state !== "lost")
      box.append(text("div", "replaced", `re-placed: was on ${shortSilo(stage.loss.silo)}`));
    if (!live) return box;
    const table = document.createElement("table");
    row(table, "batch (seqs)", "batch_size", f(live.batch_size));
    row(table, "batch tokens", "batch_tokens", f(live.batch_tokens));
    row(table, "queue depth", "queue_depth", String(stage.queue_depth));
    row(table, "busy", "busy_fraction", `${(live.busy_fraction * 100).toFixed(0)}%`);
    row(table, "forward ms", "forward_ms", f(live.forward_ms));
    row(table, "KV pages used/cached/free", "pages", `${live.pages_used} / ${live.pages_cached} / ${live.pages_free}`);
    row(table, "sequences", "sequences", String(stage.sequences));
    row(table, "passes", "batches", String(stage.batches));
    box.append(table);
    const busy = text("div", "busy");
    const bar = text("div");
    bar.style.width = `${Math.round(live.busy_fraction * 100)}%`;
    busy.append(bar);
    box.append(busy);
    const total = Math.max(1, live.pages_used + live.pages_free);
    const pages = text("div", "pages");
    const used = text("div", "used");
    // At least a sliver for any page in use: a pool of thousands would hide a few busy pages.
    used.style.width = live.pages_used > 0 ? `${Math.max(2, (100 * live.pages_used) / total)}%` : "0";
    const cached = text("div", "cached");
    cached.style.width = `${(100 * Math.max(0, live.pages_cached - live.pages_used)) / total}%`;
    pages.append(used, cached);
    box.append(pages);
    return box;
  }

  function hop(stage, last) {
    const node = text("div", "hop");
    node.dataset.from = stage.key;
    node.append(text("div", "arrow", "→"));
    const ms = stage.live ? stage.live.hop_to_next_ms : null;
    const label = text("div", "", `${last ? "to sequences" : "hop"} ${ms === null || ms === undefined ? "–" : f(ms) + " ms"}`);
    label.dataset.figure = "hop_to_next_ms";
    node.append(label);
    return node;
  }

  function draw(container, status) {
    const replicas = new Map();
    for (const stage of status.stages) {
      if (!replicas.has(stage.replica)) replicas.set(stage.replica, []);
      replicas.get(stage.replica).push(stage);
    }
    container.replaceChildren();
    if (!status.plan) container.append(text("div", "muted", "this silo serves no generation model, so there is no pipeline of decoder stages"));
    else if (replicas.size === 0) container.append(text("div", "muted", "no complete pipeline yet: " + status.plan.description));
    for (const [replica, stages] of replicas) {
      const block = text("div", "replica");
      block.dataset.replica = replica;
      block.append(text("div", "replica-title", `replica ${replica}: ${stages.length} stage${stages.length === 1 ? "" : "s"}`));
      const line = text("div", "pipeline");
      stages.forEach((stage, i) => {
        line.append(stageBox(stage));
        line.append(hop(stage, i === stages.length - 1));
      });
      block.append(line);
      container.append(block);
    }
  }

  function drawLosses(container, losses) {
    container.replaceChildren();
    if (!losses || losses.length === 0) return;
    container.append(text("div", "muted", "stages lost since this silo started"));
    const list = document.createElement("ul");
    for (const loss of losses) {
      const item = text("li", "", `${loss.key} (layers ${loss.layers}) lost on ${shortSilo(loss.silo)} at ${new Date(loss.lost_at).toLocaleTimeString()}` +
        (loss.replaced_by ? `, re-placed on ${shortSilo(loss.replaced_by)}` : ", not re-placed yet"));
      item.dataset.key = loss.key;
      list.append(item);
    }
    container.append(list);
  }

  return { draw, drawLosses, shortSilo };
})();
