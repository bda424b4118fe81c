"use strict";
// The page of logreg serve: three views (Draw, Runs, Live) over the JSON API of LogReg.Cli.Serve.ServeApp.
// Everything it loads comes from the server it was served by (the chart libraries too), so it works offline.

const post = { method: "POST", headers: { "X-LogReg-Request": "1" } };
const $ = id => document.getElementById(id);
const percent = p => (100 * p).toFixed(1) + "%";

async function json(response) {
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

// ---- views -------------------------------------------------------------------------------------------------------
const views = ["draw", "runs", "live"];
function show(view) {
  if (!views.includes(view)) view = "draw";
  for (const v of views) {
    $("view-" + v).hidden = v !== view;
    $("tab-" + v).setAttribute("aria-selected", String(v === view));
    $("tab-" + v).tabIndex = v === view ? 0 : -1;
  }
  if (view === "runs") loadRuns();
  if (view === "live") startLive();
}
window.addEventListener("hashchange", () => show(location.hash.slice(1)));
document.querySelector("nav").addEventListener("keydown", e => {
  const i = views.indexOf(location.hash.slice(1) || "draw");
  const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
  if (!step) return;
  const next = views[(i + step + views.length) % views.length];
  location.hash = next;
  $("tab-" + next).focus();
});

// ---- Draw --------------------------------------------------------------------------------------------------------
const pad = $("pad");
const ink = pad.getContext("2d");
const drawing = { active: false, last: null, timer: 0, inFlight: false, again: false, lastSent: 0 };

function clearPad() {
  ink.fillStyle = "#fff";
  ink.fillRect(0, 0, pad.width, pad.height);
  render(null);
}

function point(e) {
  const box = pad.getBoundingClientRect();
  return { x: (e.clientX - box.left) * pad.width / box.width, y: (e.clientY - box.top) * pad.height / box.height };
}

function stroke(from, to, pressure) {
  ink.strokeStyle = "#000";
  ink.lineCap = "round";
  ink.lineJoin = "round";
  // About MNIST's stroke: 2 to 3 of 28 pixels, so a tenth of the pad; a pen's pressure thickens it a little.
  ink.lineWidth = pad.width / 13 * (pressure > 0 && pressure !== 0.5 ? 0.7 + pressure * 0.6 : 1);
  ink.beginPath();
  ink.moveTo(from.x, from.y);
  ink.lineTo(to.x + 0.01, to.y);
  ink.stroke();
}

pad.addEventListener("pointerdown", e => {
  e.preventDefault();
  pad.setPointerCapture(e.pointerId);
  drawing.active = true;
  drawing.last = point(e);
  stroke(drawing.last, drawing.last, e.pressure);
  schedule();
});
pad.addEventListener("pointermove", e => {
  if (!drawing.active) return;
  const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
  for (const c of events.length ? events : [e]) {
    const p = point(c);
    stroke(drawing.last, p, c.pressure);
    drawing.last = p;
  }
  schedule();
});
for (const type of ["pointerup", "pointercancel"]) {
  pad.addEventListener(type, () => {
    if (!drawing.active) return;
    drawing.active = false;
    schedule(0);
  });
}
pad.addEventListener("keydown", e => {
  if (e.key === "Delete" || e.key === "Backspace" || e.key === "Escape") { e.preventDefault(); clearPad(); }
});

// The bars follow the pen: at most one request in flight, one at least every 120 ms while drawing, and one when the
// pen lifts (debounced 60 ms).
function schedule(delay = 60) {
  clearTimeout(drawing.timer);
  drawing.timer = 0;
  if (performance.now() - drawing.lastSent > 120 && drawing.active) { predictPad(); return; }
  drawing.timer = setTimeout(() => { drawing.timer = 0; predictPad(); }, delay);
}

function predictPad() {
  if (drawing.inFlight) { drawing.again = true; return; }
  drawing.inFlight = true;
  drawing.lastSent = performance.now();
  pad.toBlob(blob => send(blob), "image/png");
}

// True when nothing drawn is waiting for an answer (the browser tests wait for it).
window.predictionIdle = () => !drawing.inFlight && !drawing.again && !drawing.timer;

async function send(blob) {
  const run = $("model").value;
  if (!run) {
    drawing.inFlight = drawing.again = false;
    note("There is no trained model to ask: train one with logreg train first.", true);
    return;
  }
  drawing.inFlight = true;
  try {
    const result = await json(await fetch("/api/predict?run=" + encodeURIComponent(run), { ...post, body: blob }));
    note("");
    render(result);
  } catch (error) {
    note(error.message, true);
  } finally {
    drawing.inFlight = false;
    if (drawing.again) { drawing.again = false; predictPad(); }
  }
}

function note(text, isError) {
  $("draw-note").textContent = text;
  $("draw-note").classList.toggle("error", Boolean(isError));
}

function render(result) {
  window.lastPrediction = result;
  const bars = $("bars");
  bars.replaceChildren();
  $("evidence").replaceChildren();
  $("nearest").replaceChildren();
  $("nearest-note").textContent = result && result.nearest_note ? result.nearest_note : "";
  if (!result || result.empty) {
    $("predicted").textContent = "–";
    $("seen").removeAttribute("src");
    delete document.body.dataset.predicted;
    return;
  }
  result.classes.forEach((name, c) => {
    const row = document.createElement("div");
    row.className = "bar" + (c === result.predicted ? " predicted" : "");
    row.setAttribute("role", "listitem");
    row.setAttribute("aria-label", name + ": " + percent(result.probabilities[c]));
    row.innerHTML = '<span class="name"></span><span class="track"><span class="fill"></span></span><span class="value"></span>';
    row.querySelector(".name").textContent = name;
    row.querySelector(".fill").style.width = percent(result.probabilities[c]);
    row.querySelector(".value").textContent = percent(result.probabilities[c]);
    bars.appendChild(row);
  });
  const name = result.classes[result.predicted];
  $("predicted").textContent = name;
  document.body.dataset.predicted = name;
  $("seen").src = result.input;
  for (const e of result.evidence) {
    $("evidence").appendChild(tile(e.image, `evidence for ${e.name}`, `${e.name}: ${percent(e.probability)}, score ${e.score.toFixed(2)}`));
  }
  for (const n of result.nearest) {
    $("nearest").appendChild(tile(n.image, `training image ${n.index} of ${name}`, `#${n.index}, distance ${n.distance.toFixed(0)}`));
  }
}

function tile(src, alt, caption) {
  const figure = document.createElement("figure");
  const img = document.createElement("img");
  img.src = src;
  img.alt = alt;
  const text = document.createElement("figcaption");
  text.textContent = caption;
  figure.append(img, text);
  return figure;
}

// An image from a file, a drop or the clipboard: shown on the pad, and sent as it is (the server decodes it).
async function open(file) {
  if (!file) return;
  try {
    const bitmap = await createImageBitmap(file);
    ink.fillStyle = "#fff";
    ink.fillRect(0, 0, pad.width, pad.height);
    const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    ink.drawImage(bitmap, (pad.width - bitmap.width * scale) / 2, (pad.height - bitmap.height * scale) / 2, bitmap.width * scale, bitmap.height * scale);
  } catch {
    // A PGM, which browsers cannot show: the server can still read it.
  }
  await send(file);
}

$("clear").addEventListener("click", clearPad);
$("upload").addEventListener("change", e => { open(e.target.files[0]); e.target.value = ""; });
$("upload-label").addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("upload").click(); } });
pad.addEventListener("dragover", e => { e.preventDefault(); pad.classList.add("dropping"); });
pad.addEventListener("dragleave", () => pad.classList.remove("dropping"));
pad.addEventListener("drop", e => { e.preventDefault(); pad.classList.remove("dropping"); open(e.dataTransfer.files[0]); });
document.addEventListener("paste", e => {
  const file = [...(e.clipboardData ? e.clipboardData.files : [])].find(f => f.type.startsWith("image/"));
  if (file) { e.preventDefault(); open(file); }
});
$("model").addEventListener("change", () => predictPad());

async function loadModels() {
  const list = await json(await fetch("/api/runs"));
  const select = $("model");
  select.replaceChildren();
  for (const run of list.runs.filter(r => r.has_model)) {
    const option = document.createElement("option");
    option.value = run.id;
    option.textContent = run.id + (run.test_accuracy != null ? ` (test ${percent(run.test_accuracy)})` : "");
    select.appendChild(option);
  }
  if (!select.options.length) note(`No trained model under ${list.runs_folder}: run logreg train first.`, true);
  document.body.dataset.models = String(select.options.length);
}

// ---- Runs --------------------------------------------------------------------------------------------------------
async function loadRuns() {
  const list = await json(await fetch("/api/runs"));
  $("runs-folder").textContent = `${list.runs.length} runs and experiments under ${list.runs_folder}`;
  const body = $("runs-table").tBodies[0];
  body.replaceChildren();
  for (const run of list.runs) {
    const row = body.insertRow();
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = run.id;
    box.disabled = !run.has_history;
    box.setAttribute("aria-label", "compare " + run.id);
    row.insertCell().appendChild(box);
    row.insertCell().textContent = run.id;
    row.insertCell().textContent = run.kind;
    row.insertCell().textContent = run.test_accuracy == null ? "–" : percent(run.test_accuracy);
    row.insertCell().textContent = run.epochs == null ? "–" : run.epochs;
    const cell = row.insertCell();
    if (run.has_report) {
      const link = document.createElement("a");
      link.href = "/runs/" + run.id.split("/").map(encodeURIComponent).join("/") + "/report.html";
      link.textContent = "report";
      cell.appendChild(link);
    }
  }
  document.body.dataset.runs = String(list.runs.length);
}

$("compare").addEventListener("click", async () => {
  const chosen = [...document.querySelectorAll("#runs-table input:checked")].map(b => b.value);
  const metric = $("compare-metric").value;
  const values = [];
  for (const run of chosen) {
    const history = await json(await fetch("/api/history?run=" + encodeURIComponent(run)));
    for (const e of history) {
      for (const split of ["train", "val", "test"]) {
        const v = e[`${split}_${metric}`];
        if (v != null) values.push({ run, split, epoch: e.epoch, value: v });
      }
    }
  }
  await vegaEmbed("#compare-chart", curves(values, metric, "run", "compare-chart"), { actions: false, renderer: "svg" });
  document.body.dataset.compared = String(chosen.length);
});

// Line charts of a metric by epoch. The width is fixed from the box at drawing time, with the legend below, so that
// labels and legend never spill out of a narrow box (a phone, or half of the Live view).
function curves(values, metric, colour, box) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: Math.max(200, $(box).clientWidth - 80), height: 240, autosize: { type: "pad", resize: true },
    data: values ? { values } : { name: "points" },
    mark: { type: "line", point: false },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", axis: { format: "d", tickMinStep: 1 } },
      y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
      color: { field: colour, type: "nominal", title: colour, legend: { orient: "bottom", columns: 2 } },
      strokeDash: { field: "split", type: "nominal", title: "split", legend: { orient: "bottom" } },
      tooltip: [{ field: colour }, { field: "split" }, { field: "epoch" }, { field: "value", format: ".4f" }],
    },
  };
}

// ---- Live --------------------------------------------------------------------------------------------------------
let live = null;
async function startLive() {
  if (live) return;
  live = { views: {}, pending: { loss: [], accuracy: [] } };
  const info = await json(await fetch("/api/live"));
  if (!info.active) {
    $("live-status").textContent = "No training is streaming here. Start one with: logreg train --serve";
    return;
  }
  $("live-status").textContent = `Training ${info.run} (${info.classes.length} classes, up to ${info.epochs} epochs)`;
  $("stop").disabled = info.stop_requested;
  live.epochs = info.epochs;
  live.classes = info.classes;
  for (const metric of ["loss", "accuracy"]) {
    const spec = curves(null, metric, "split", "live-" + metric);
    delete spec.encoding.strokeDash;
    const result = await vegaEmbed("#live-" + metric, spec, { actions: false, renderer: "svg" });
    live.views[metric] = result.view;
    flush(metric);
  }
  const events = new EventSource("/api/live/events");
  events.addEventListener("epoch", e => {
    const r = JSON.parse(e.data);
    for (const metric of ["loss", "accuracy"]) {
      for (const split of ["train", "val", "test"]) {
        const v = r[`${split}_${metric}`];
        if (v != null) live.pending[metric].push({ split, epoch: r.epoch, value: v });
      }
      flush(metric);
    }
    $("live-epoch").textContent = `epoch ${r.epoch} of ${live.epochs}: train loss ${r.train_loss.toFixed(4)}, accuracy ${percent(r.train_accuracy)}`;
    document.body.dataset.liveEpochs = String(r.epoch);
  });
  events.addEventListener("weights", e => {
    const w = JSON.parse(e.data);
    const box = $("live-weights");
    if (box.children.length !== w.images.length) {
      box.replaceChildren(...w.images.map((src, c) => tile(src, "weights of " + (live.classes[c] ?? c), live.classes.length === 2 && w.images.length === 1 ? `${live.classes[1]} vs ${live.classes[0]}` : (live.classes[c] ?? String(c)))));
    } else {
      [...box.querySelectorAll("img")].forEach((img, c) => { img.src = w.images[c]; });
    }
    document.body.dataset.weightsEpoch = String(w.epoch);
  });
  events.addEventListener("done", e => {
    const d = JSON.parse(e.data);
    $("live-status").textContent = `Finished: ${d.stop_reason} after ${d.epochs_run} epochs (kept epoch ${d.best_epoch}).`;
    $("stop").disabled = true;
    document.body.dataset.liveDone = d.stop_reason;
    events.close();
  });
  events.onerror = () => {
    if (!document.body.dataset.liveDone) $("live-status").textContent = "The training process has gone away.";
    events.close();
  };
}

function flush(metric) {
  const view = live.views[metric];
  if (!view || !live.pending[metric].length) return;
  view.insert("points", live.pending[metric]).run();
  live.pending[metric] = [];
}

$("stop").addEventListener("click", async () => {
  $("stop").disabled = true;
  try {
    await json(await fetch("/api/live/stop", post));
    $("live-status").textContent = "Stopping after the current batch; the best model so far is kept…";
  } catch (error) {
    $("live-status").textContent = error.message;
  }
});

// ---- start -------------------------------------------------------------------------------------------------------
clearPad();
loadModels().catch(error => note(error.message, true)).finally(() => { document.body.dataset.ready = "true"; });
show(location.hash.slice(1));
