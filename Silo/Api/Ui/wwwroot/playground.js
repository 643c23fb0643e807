// The playground: streams a completion through the silo's own OpenAI API (server-sent events over
// fetch), with the sampling switches a person most often changes.
"use strict";

const Playground = (() => {
  let controller = null;
  const $ = id => document.getElementById(id);

  function number(id) {
    const value = $(id).value.trim();
    return value === "" ? null : Number(value);
  }

  function request(model) {
    const body = { model, prompt: $("prompt").value, max_tokens: number("max-tokens"), temperature: number("temperature"), stream: true,
      stream_options: { include_usage: true } };
    const topP = number("top-p"), topK = number("top-k"), seed = number("seed"), stop = $("stop").value;
    if (topP !== null && topP !== 1) body.top_p = topP;
    if (topK) body.top_k = topK;
    if (seed !== null) body.seed = seed;
    if (stop) body.stop = stop;
    return body;
  }

  async function run(model) {
    const output = $("output"), info = $("output-info");
    output.textContent = "";
    output.dataset.state = "streaming";
    info.textContent = "";
    $("send").disabled = true;
    $("cancel").disabled = false;
    controller = new AbortController();
    const started = performance.now();
    let firstAt = null, finish = null, usage = null;
    try {
      const response = await fetch("/v1/completions", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request(model)), signal: controller.signal });
      if (!response.ok) {
        const error = await response.json().catch(() => null);
        throw new Error(`HTTP ${response.status}: ${error?.error?.message ?? response.statusText}`);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of event.split("\n")) {
            if (!line.startsWith("data: ")) continue;
            const data = line.slice(6);
            if (data === "[DONE]") continue;
            const chunk = JSON.parse(data);
            if (chunk.error) throw new Error(chunk.error.message);
            if (chunk.usage) usage = chunk.usage;
            const choice = chunk.choices?.[0];
            if (!choice) continue;
            if (choice.text) {
              firstAt ??= performance.now();
              output.textContent += choice.text;
            }
            if (choice.finish_reason) finish = choice.finish_reason;
          }
        }
      }
      output.dataset.state = "done";
      const ttft = firstAt === null ? "–" : `${(firstAt - started).toFixed(0)} ms`;
      info.textContent = `finish: ${finish ?? "?"} · first token after ${ttft} · ${usage ? usage.completion_tokens + " tokens" : ""} in ${((performance.now() - started) / 1000).toFixed(2)} s`;
    } catch (e) {
      output.dataset.state = e.name === "AbortError" ? "done" : "error";
      info.textContent = e.name === "AbortError" ? "stopped" : String(e.message || e);
    } finally {
      $("send").disabled = false;
      $("cancel").disabled = true;
      controller = null;
    }
  }

  function attach(model) {
    $("send").onclick = () => run(model());
    // Closing the stream is how a client cancels: the silo frees the sequence's pages.
    $("cancel").onclick = () => controller?.abort();
  }

  return { attach };
})();
