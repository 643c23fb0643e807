// Polls /v1/cluster/status (the JSON `status --json` prints) and redraws the page. A failed poll
// keeps the last picture and says so: during a silo's death the answering silo still serves it.
"use strict";

(() => {
  const POLL_MS = 1000;
  const SPAN_MS = 5 * 60 * 1000;
  let model = null;
  let polls = 0;
  const $ = id => document.getElementById(id);

  function drawServing(status) {
    const latest = status.serving || {};
    for (const name of ["running", "waiting", "tokens_per_s", "ttft_ms", "tpot_ms"]) {
      const node = document.querySelector(`#serving [data-figure="${name}"]`);
      node.textContent = Charts.format(latest[name]);
    }
    for (const svg of document.querySelectorAll("svg.chart")) Charts.draw(svg, status.history || [], SPAN_MS);
  }

  // The generation model, and the embedding model where one is served (either may be absent).
  function modelNames(status) {
    const embedding = status.embedding_model ? `${status.embedding_model.id} (embeddings, ${status.embedding_model.stages.length} stage(s))` : null;
    return [status.model, embedding].filter(name => name).join(" + ");
  }

  async function poll() {
    const connection = $("connection");
    try {
      const response = await fetch("/v1/cluster/status", { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const status = await response.json();
      model = status.model;
      $("model").textContent = modelNames(status);
      $("plan").textContent = !status.plan
        ? "no generation model on this silo" // it serves its embedding model alone
        : status.plan.complete
        ? `${status.plan.replicas} replica(s), stages ${status.plan.stages_per_replica.join("/")}`
        : status.plan.description; // says what is missing
      Pipeline.draw($("pipelines"), status);
      Pipeline.drawLosses($("losses"), status.lost_stages);
      drawServing(status);
      polls++;
      document.body.dataset.polls = String(polls);
      connection.dataset.state = "live";
      connection.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      connection.dataset.state = "failing";
      connection.textContent = `status not answered (${e.message}); showing the last reading`;
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  Playground.attach(() => model);
  poll();
})();
