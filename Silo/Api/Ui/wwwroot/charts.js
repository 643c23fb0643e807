// Small line charts drawn as SVG paths: enough for the last minutes of a few series, and no
// library to fetch or bundle.
"use strict";

const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const WIDTH = 300, HEIGHT = 80, TOP = 12;

  function element(name, attributes) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }

  // Draws every series named in the svg's data-series over the points' time span; the top label
  // is the largest value shown (the scale starts at zero so that a flat line reads as steady).
  function draw(svg, points, spanMs) {
    const names = svg.dataset.series.split(",");
    svg.replaceChildren();
    if (points.length === 0) return;
    const end = Date.parse(points[points.length - 1].at);
    const start = end - spanMs;
    const values = points.flatMap(p => names.map(n => p[n])).filter(v => v !== null && v !== undefined);
    const top = Math.max(0, ...values);
    const max = top > 0 ? top : 1; // all zero: a flat line at the bottom
    const x = at => ((Date.parse(at) - start) / spanMs) * WIDTH;
    const y = v => HEIGHT - (v / max) * (HEIGHT - TOP);
    names.forEach((name, i) => {
      let d = "";
      let pen = "M";
      for (const p of points) {
        if (p[name] === null || p[name] === undefined) { pen = "M"; continue; } // no figure: a gap, not a zero
        // A lone point after a gap is drawn as a short dash, so that it shows at all.
        d += `${pen}${x(p.at).toFixed(1)},${y(p[name]).toFixed(1)} ${pen === "M" ? `h-2 h2 ` : ""}`;
        pen = "L";
      }
      if (d) svg.appendChild(element("path", { d, class: `series-${i}`, "data-name": name }));
    });
    const label = element("text", { x: 3, y: 9 });
    label.textContent = values.length ? format(top) : "no figure yet";
    svg.appendChild(label);
    svg.dataset.points = String(points.length);
  }

  function format(value) {
    if (value === null || value === undefined) return "–";
    if (Number.isInteger(value)) return String(value);
    if (value >= 100) return value.toFixed(0);
    if (value >= 10) return value.toFixed(1);
    return value.toFixed(2);
  }

  return { draw, format };
})();
