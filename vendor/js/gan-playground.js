// Controls that train a chapter's GAN in the reader's browser, on the book's web pages.
//
// A chapter's code cell tagged `browser-trainer-<name>` holds ganbook.TrainingControls: in Colab
// and Jupyter they train the chapter's PyTorch code. The web page has no Python, so here the same
// controls (learning rates, steps, k, seed, Train and Stop) train gan-trainer.js's copy of that
// GAN, and draw its dashboard live: D(x) and D(G(z)) per step, and the samples (chapter 1's
// histograms, or the plane of chapter 6's playground with D's verdict and the generator's
// arrows). The cell's own output, the replay of the book's PyTorch run, stays below.
(function () {
  "use strict";
  const T = self.GanTrainer;
  const REAL = "#0072B2", FAKE = "#D55E00", GREY = "#555555", INK = "#222222";

  // What each tagged cell trains: a setting of gan-trainer.js (its networks and data) and the
  // defaults of the cell's TrainingControls. A test of the book checks both against the chapter.
  const PLAYGROUNDS = {
    chapter1: { config: "chapter1", steps: 1500, maxSteps: 6000, lrD: 5e-4, lrG: 5e-4, k: 1, seed: 0,
                panel: "histogram", range: [-2, 10], what: "this chapter's GAN (the code above)" },
    moons: { config: "moons", steps: 1500, maxSteps: 6000, lrD: 1e-3, lrG: 1e-3, k: 1, seed: 0,
             panel: "field", lim: 2.0, what: "the playground's GAN (make_playground, just above)" },
  };
  const LR_RANGE = [1e-5, 1e-1];  // the learning-rate sliders' range, as ganbook.controls.LR_RANGE
  const FRAME_MS = 12;  // training time per animation frame: the page stays responsive
  const instances = [];

  // -- small helpers -------------------------------------------------------------------------
  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    });
    (children || []).forEach((c) => e.append(c));
    return e;
  }
  const fmtLr = (v) => v.toExponential(1).replace(/e([+-])(\d)$/, "e$10$2");  // 5.0e-04, as Python's .1e
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  const std = (a) => { const m = mean(a); return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1)); };
  // ganbook.plots.smooth: out[i] = (1 - alpha) out[i-1] + alpha values[i]
  function smooth(values, alpha) {
    const out = new Array(values.length);
    let acc = values[0];
    for (let i = 0; i < values.length; i++) out[i] = acc = i === 0 ? values[0] : (1 - alpha) * acc + alpha * values[i];
    return out;
  }
  // about five round tick values over [lo, hi]
  function ticks(lo, hi, count) {
    const raw = (hi - lo) / (count || 5), p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(+v.toFixed(10));
    return out;
  }

  // An axes box on the canvas: data coordinates to pixels, its frame, ticks and labels.
  function Axes(ctx, box, xlim, ylim) {
    this.ctx = ctx;
    this.box = box;
    this.xlim = xlim;
    this.ylim = ylim;
  }
  Axes.prototype.x = function (v) { return this.box.x + (v - this.xlim[0]) / (this.xlim[1] - this.xlim[0]) * this.box.w; };
  Axes.prototype.y = function (v) { return this.box.y + this.box.h - (v - this.ylim[0]) / (this.ylim[1] - this.ylim[0]) * this.box.h; };
  Axes.prototype.frame = function (title, xlabel, ylabel) {
    const c = this.ctx, b = this.box;
    c.strokeStyle = INK;
    c.lineWidth = 1;
    c.setLineDash([]);
    c.strokeRect(b.x, b.y, b.w, b.h);
    c.fillStyle = INK;
    c.font = "11px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "top";
    ticks(this.xlim[0], this.xlim[1]).forEach((v) => {
      const px = this.x(v);
      c.beginPath(); c.moveTo(px, b.y + b.h); c.lineTo(px, b.y + b.h + 4); c.stroke();
      c.fillText(String(v), px, b.y + b.h + 6);
    });
    c.textAlign = "right";
    c.textBaseline = "middle";
    ticks(this.ylim[0], this.ylim[1], 4).forEach((v) => {
      const py = this.y(v);
      c.beginPath(); c.moveTo(b.x - 4, py); c.lineTo(b.x, py); c.stroke();
      c.fillText(String(v), b.x - 6, py);
    });
    c.font = "12px sans-serif";
    c.textAlign = "center";
    c.textBaseline = "bottom";
    c.fillText(title, b.x + b.w / 2, b.y - 6);
    c.textBaseline = "top";
    c.fillText(xlabel, b.x + b.w / 2, b.y + b.h + 22);
    if (ylabel) {
      c.save();
      c.translate(b.x - 38, b.y + b.h / 2);
      c.rotate(-Math.PI / 2);
      c.textBaseline = "bottom";
      c.fillText(ylabel, 0, 0);
      c.restore();
    }
  };
  Axes.prototype.clip = function (draw) {
    const c = this.ctx, b = this.box;
    c.save();
    c.beginPath();
    c.rect(b.x, b.y, b.w, b.h);
    c.clip();
    draw(c);
    c.restore();
  };
  Axes.prototype.line = function (xs, ys, color, width, alpha, dash) {
    this.clip((c) => {
      c.strokeStyle = color;
      c.lineWidth = width;
      c.globalAlpha = alpha || 1;
      c.setLineDash(dash || []);
      c.beginPath();
      for (let i = 0; i < xs.length; i++) {
        if (i === 0) c.moveTo(this.x(xs[i]), this.y(ys[i]));
        else c.lineTo(this.x(xs[i]), this.y(ys[i]));
      }
      c.stroke();
    });
  };
  Axes.prototype.legend = function (entries, alpha) {  // [label, color, width or "dot", dash], top right
    const c = this.ctx, b = this.box, h = 16, w = 150;
    const x = b.x + b.w - w - 6, y = b.y + 6;
    c.globalAlpha = alpha || 0.9;
    c.fillStyle = "#ffffff";
    c.fillRect(x, y, w, h * entries.length + 6);
    c.globalAlpha = 1;
    c.font = "11px sans-serif";
    c.textAlign = "left";
    c.textBaseline = "middle";
    entries.forEach(([label, color, width, dash], i) => {
      const ly = y + 3 + h * i + h / 2;
      if (width === "dot") {
        c.fillStyle = color;
        [10, 18, 26].forEach((dx) => c.fillRect(x + dx - 1.5, ly - 1.5, 3, 3));
        c.fillStyle = INK;
        c.fillText(label, x + 36, ly);
        return;
      }
      c.strokeStyle = color;
      c.lineWidth = width;
      c.setLineDash(dash || []);
      c.beginPath(); c.moveTo(x + 6, ly); c.lineTo(x + 30, ly); c.stroke();
      c.setLineDash([]);
      c.fillStyle = INK;
      c.fillText(label, x + 36, ly);
    });
  };

  // -- one playground --------------------------------------------------------------------------
  function Playground(cell, name) {
    const spec = PLAYGROUNDS[name];
    this.spec = spec;
    this.config = T.CHAPTERS[spec.config];
    this.trainer = null;
    this.running = false;
    this.holdAt = null;  // a step to hold a run at (tests only)
    this.build(cell);
    // what the dashboard shows of the samples: drawn once, from a stream of their own, so every
    // frame shows the same noise mapped through the current G (ganbook's panels do the same)
    const view = new T.Random(0);
    if (spec.panel === "histogram") {
      const n = 4000, bins = 60, [lo, hi] = spec.range;
      this.noise = view.randn(n, this.config.zDim);
      this.edges = Array.from({ length: bins + 1 }, (_, i) => lo + (hi - lo) * i / bins);
      this.realDensity = this.density(this.config.data.sample(n, view));
    } else {
      const n = 600, grid = 48, lim = spec.lim;
      this.noise = view.randn(n, this.config.zDim);
      this.real = this.config.data.sample(n, view);
      this.grid = grid;
      this.plane = new Float32Array(2 * grid * grid);
      for (let r = 0; r < grid; r++) {
        for (let c = 0; c < grid; c++) {
          this.plane[2 * (r * grid + c)] = -lim + 2 * lim * (c + 0.5) / grid;
          this.plane[2 * (r * grid + c) + 1] = lim - 2 * lim * (r + 0.5) / grid;  // row 0 at the top
        }
      }
    }
    this.reset();
  }

  Playground.prototype.build = function (cell) {
    const s = this.spec, id = "gb-pg-" + instances.length;
    const lrControl = (key, label, value) => {
      const slider = el("input", { type: "range", min: Math.log10(LR_RANGE[0]), max: Math.log10(LR_RANGE[1]),
                                   step: "0.1", value: Math.log10(value), "aria-label": label + " (log scale)" });
      const text = el("input", { type: "text", inputmode: "decimal", value: fmtLr(value), id: id + "-" + key,
                                 size: "8", class: "gb-pg-number" });
      slider.addEventListener("input", () => { text.value = fmtLr(Math.pow(10, +slider.value)); });
      text.addEventListener("change", () => {
        const v = Number(text.value);
        if (v > 0 && isFinite(v)) slider.value = Math.log10(v);
      });
      this[key] = text;
      return el("div", { class: "gb-pg-row" }, [el("label", { for: id + "-" + key, text: label }), slider, text]);
    };
    const numberControl = (key, label, value, min, max) => {
      const input = el("input", { type: "number", value: String(value), min: String(min), max: String(max),
                                  step: "1", id: id + "-" + key, class: "gb-pg-number" });
      this[key] = input;
      return el("div", { class: "gb-pg-row" }, [el("label", { for: id + "-" + key, text: label }), input]);
    };
    this.trainButton = el("button", { type: "button", class: "gb-pg-train", text: "Train" });
    this.stopButton = el("button", { type: "button", class: "gb-pg-stop", text: "Stop" });
    this.stopButton.disabled = true;
    this.trainButton.addEventListener("click", () => this.train());
    this.stopButton.addEventListener("click", () => this.stop());
    this.progress = el("progress", { max: String(s.steps), value: "0", "aria-label": "training progress" });
    this.status = el("p", { class: "gb-pg-status", role: "status", "aria-live": "polite" });
    this.canvas = el("canvas", { class: "gb-pg-canvas", role: "img" });
    const note = el("p", { class: "gb-pg-note" });
    note.append(el("strong", { text: "These controls train in your browser," }),
      " with a JavaScript copy of " + s.what + ". The same settings give the same run again in this " +
      "browser, but not PyTorch's run: the random numbers differ.");
    this.box = el("div", { class: "gb-playground", "data-gb-playground": s.config }, [
      note,
      el("div", { class: "gb-pg-controls" }, [
        el("div", {}, [lrControl("lrD", "D learning rate", s.lrD), lrControl("lrG", "G learning rate", s.lrG),
                       numberControl("steps", "steps", s.steps, 1, s.maxSteps)]),
        el("div", {}, [numberControl("k", "k (D steps per G)", s.k, 1, 10),
                       numberControl("seed", "seed", s.seed, 0, 4294967295)]),
      ]),
      el("div", { class: "gb-pg-buttons" }, [this.trainButton, this.stopButton, this.progress]),
      this.status, this.canvas,
    ]);
    cell.classList.add("gb-trains-here");
    const output = cell.querySelector(".cell_output");
    (output || cell).prepend(this.box);
    // the cell's own output, under the controls, is the book's run: say so where it begins
    const replay = cell.querySelector(".gb-replay");
    if (replay) {
      replay.parentNode.insertBefore(el("p", { class: "gb-pg-replay-caption", text: "Below: the book's own run of " +
        "this cell, in PyTorch, with the default settings (a replay; training here does not change it)." }),
        replay);
    }
    new ResizeObserver(() => this.draw()).observe(this.box);
  };

  // the controls' values, each checked with a message that names it and marks it; the trainer
  // checks them again, as ganbook does
  Playground.prototype.settings = function () {
    const fields = [[this.lrD, "D learning rate", "rate"], [this.lrG, "G learning rate", "rate"],
                    [this.steps, "steps", [1, this.spec.maxSteps]], [this.k, "k (D steps per G)", [1, 10]],
                    [this.seed, "seed", [0, 4294967295]]];
    const values = fields.map(([input, label, range]) => {
      const text = input.value.trim(), v = Number(text);
      const bad = (why) => {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        throw new Error(label + " " + why);
      };
      input.removeAttribute("aria-invalid");
      if (text === "") bad("is empty");
      if (!isFinite(v)) bad("must be a number, got " + text);
      if (range === "rate") {
        if (v <= 0) bad("must be above 0, got " + text);
        if (v < LR_RANGE[0] || v > LR_RANGE[1]) bad("must lie within the slider's range, 1e-5 to 1e-1, got " + text);
      } else {
        if (!Number.isInteger(v)) bad("must be a whole number, got " + text);
        if (v < range[0]) bad("must be >= " + range[0] + ", got " + text);
        if (v > range[1]) bad("must be <= " + range[1] + ", got " + text);
      }
      return v;
    });
    return { lrD: values[0], lrG: values[1], steps: values[2], k: values[3], seed: values[4] };
  };

  Playground.prototype.reset = function () {
    const s = this.spec;
    this.trainer = new T.Trainer(Object.assign({}, this.config, { lrD: s.lrD, lrG: s.lrG, k: s.k, seed: s.seed }));
    this.target = s.steps;
    this.draw();
    this.status.textContent = "Press Train: the dashboard draws the run as it trains.";
  };

  Playground.prototype.train = function () {
    if (this.running) return;
    let settings;
    try {
      settings = this.settings();
      this.trainer = new T.Trainer(Object.assign({}, this.config, settings));
    } catch (err) {
      this.status.innerHTML = "";
      this.status.append(el("strong", { text: "error: " }), err.message);
      this.status.classList.add("gb-pg-error");
      return;
    }
    this.status.classList.remove("gb-pg-error");
    this.target = settings.steps;
    this.progress.max = settings.steps;
    this.progress.value = 0;
    this.running = true;
    this.lock(true);
    this.settingsText = "D learning rate " + fmtLr(settings.lrD) + ", G learning rate " + fmtLr(settings.lrG) +
      ", k " + settings.k + ", seed " + settings.seed;
    this.status.textContent = "training...";
    const started = performance.now();
    const frame = () => {
      if (!this.running) return;
      const t = this.trainer, t0 = performance.now();
      // a run can be held at a step (holdAt), for the book's tests to look at it half-way
      const until = this.holdAt > 0 ? Math.min(this.target, this.holdAt) : this.target;
      let ok = true;
      while (ok && t.step < until && performance.now() - t0 < FRAME_MS) {
        ok = t.train(Math.min(10, until - t.step));
      }
      this.progress.value = t.step;
      this.draw();
      if (!ok) return this.finish(t.stopReason);
      if (t.step >= this.target) return this.finish(null, performance.now() - started);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };

  Playground.prototype.stop = function () {
    if (this.running) this.finish("stopped at step " + this.trainer.step);
  };

  // while a run trains, its settings cannot change: only Stop is live
  Playground.prototype.lock = function (running) {
    this.box.querySelectorAll("input").forEach((input) => { input.disabled = running; });
    this.trainButton.disabled = running;
    this.stopButton.disabled = !running;
  };

  Playground.prototype.finish = function (reason, ms) {
    this.running = false;
    this.lock(false);
    const t = this.trainer, h = t.history, last = (a) => mean(a.slice(-50));
    let text = "after " + t.step + " steps (" + this.settingsText + ")";
    if (h.step.length) {
      text += ": D(x) = " + last(h.d_real).toFixed(3) + ", D(G(z)) = " + last(h.d_fake).toFixed(3) +
        " (mean of the last 50 steps)";
    }
    if (this.spec.panel === "histogram" && h.step.length) {
      const fake = t.evaluate(20000).fake, p = this.config.data;
      text += "; on 20,000 samples, p_g: mean " + mean(fake).toFixed(3) + ", std " + std(fake).toFixed(3) +
        " (p_data: mean " + p.mean + ", std " + p.std + ")";
    } else if (h.step.length) {  // chapter 6's measure of the moons: how many fakes lie on one
      const e = t.evaluate(10000), close = (x) => {
        let n = 0;
        for (let i = 0; i < x.length / 2; i++) if (moonDistance(x[2 * i], x[2 * i + 1]) < 0.15) n += 1;
        return n / (x.length / 2);
      };
      text += "; within 0.15 of a moon: " + (100 * close(e.fake)).toFixed(1) + "% of 10,000 generated samples (" +
        (100 * close(e.real)).toFixed(1) + "% of real ones)";
    }
    if (ms) text += "; " + Math.round(t.step / (ms / 1000)) + " steps per second";
    if (reason) text += "; " + reason;
    this.status.textContent = text;
    this.status.classList.toggle("gb-pg-error", /became/.test(reason || ""));
  };

  // The distance from (x, y) to the nearer of the two half circles (chapter 6's distance_to_moons):
  // the upper moon is the top half of the circle of radius 1 around (-0.5, -0.25), the lower one
  // the bottom half of the one around (0.5, 0.25); off its half, the distance to its nearer end.
  function moonDistance(x, y) {
    let best = Infinity;
    for (const [cx, cy, sign] of [[-0.5, -0.25, 1], [0.5, 0.25, -1]]) {
      const dx = x - cx, dy = y - cy;
      const d = sign * dy >= 0 ? Math.abs(Math.hypot(dx, dy) - 1)
        : Math.min(Math.hypot(x - (cx - 1), y - cy), Math.hypot(x - (cx + 1), y - cy));
      best = Math.min(best, d);
    }
    return best;
  }

  // -- the dashboard -----------------------------------------------------------------------------
  Playground.prototype.density = function (x) {  // a histogram's densities over this.edges
    const e = this.edges, bins = e.length - 1, lo = e[0], width = e[1] - e[0], counts = new Float64Array(bins);
    for (let i = 0; i < x.length; i++) {
      const b = Math.floor((x[i] - lo) / width);
      if (b >= 0 && b < bins) counts[b] += 1;
      else if (x[i] === e[bins]) counts[bins - 1] += 1;
    }
    const inside = counts.reduce((a, b) => a + b, 0);
    return Array.from(counts, (c) => (inside ? c / (inside * width) : 0));
  };

  Playground.prototype.draw = function () {
    const width = Math.min(this.box.clientWidth || 700, 760);
    if (width < 50) return;
    const wide = width >= 560, dpr = window.devicePixelRatio || 1;
    const side = wide ? Math.round(width * 0.5) : width;
    const curvesH = wide ? (this.spec.panel === "field" ? side : 300) : 250;
    const panelH = this.spec.panel === "field" ? side : 260;
    const height = wide ? Math.max(curvesH, panelH) : curvesH + panelH;
    const cv = this.canvas;
    if (cv.width !== Math.round(width * dpr) || cv.height !== Math.round(height * dpr)) {
      cv.width = Math.round(width * dpr);
      cv.height = Math.round(height * dpr);
      cv.style.width = width + "px";
      cv.style.height = height + "px";
    }
    const c = cv.getContext("2d");
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.fillStyle = "#ffffff";
    c.fillRect(0, 0, width, height);
    const left = wide ? { x: 0, y: 0, w: width - side, h: height } : { x: 0, y: 0, w: width, h: curvesH };
    const right = wide ? { x: width - side, y: 0, w: side, h: height } : { x: 0, y: curvesH, w: width, h: panelH };
    const inset = (r) => ({ x: r.x + 52, y: r.y + 26, w: r.w - 72, h: r.h - 70 });
    this.drawCurves(c, inset(left));
    if (this.spec.panel === "histogram") this.drawHistogram(c, inset(right));
    else this.drawField(c, inset(right));
    const h = this.trainer.history, n = h.step.length;
    cv.setAttribute("aria-label", "Live dashboard of the run in this page: " + (n ? "after " + h.step[n - 1] +
      " steps, D(x) " + h.d_real[n - 1].toFixed(2) + " and D(G(z)) " + h.d_fake[n - 1].toFixed(2) +
      " on the last batch" : "not trained yet") + (this.spec.panel === "histogram" ?
      "; histograms of real and generated samples." : "; the plane with D's verdict, the samples and the generator's arrows."));
  };

  Playground.prototype.drawCurves = function (c, box) {
    const h = this.trainer.history, n = h.step.length;
    const ax = new Axes(c, box, [0, Math.max(this.target, 1)], [0, 1]);
    ax.line([0, this.target], [0.5, 0.5], GREY, 1, 1, [2, 3]);
    if (n) {
      // at most about two points per pixel: every `every`-th step
      const every = Math.max(1, Math.floor(n / (2 * box.w))), xs = [], r = [], f = [];
      const sr = smooth(h.d_real, 0.05), sf = smooth(h.d_fake, 0.05), srs = [], sfs = [];
      for (let i = 0; i < n; i += every) {
        xs.push(h.step[i]); r.push(h.d_real[i]); f.push(h.d_fake[i]); srs.push(sr[i]); sfs.push(sf[i]);
      }
      ax.line(xs, r, REAL, 0.8, 0.35);
      ax.line(xs, f, FAKE, 0.8, 0.35);
      ax.line(xs, srs, REAL, 3.2);  // D(x) wider, underneath: both stay visible at 0.5
      ax.line(xs, sfs, FAKE, 1.6);
    }
    ax.frame("D(x) and D(G(z)), trained in this page", "generator step", "mean D output");
    ax.legend([["D(x)", REAL, 3.2], ["D(G(z))", FAKE, 1.6], ["0.5 (equilibrium)", GREY, 1, [2, 3]]]);
  };

  Playground.prototype.drawHistogram = function (c, box) {
    const e = this.edges, p = this.config.data;
    const fake = this.density(this.trainer.generate(this.noise, this.noise.length / this.config.zDim));
    const xs = Array.from({ length: 200 }, (_, i) => e[0] + (e[e.length - 1] - e[0]) * i / 199);
    const pdf = xs.map((x) => p.pdf(x));
    const top = Math.max(Math.max.apply(null, this.realDensity), Math.max.apply(null, fake), Math.max.apply(null, pdf));
    const ax = new Axes(c, box, [e[0], e[e.length - 1]], [0, 1.45 * top]);
    const stairs = (density, color) => ax.clip((ctx) => {
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.45;
      ctx.beginPath();
      ctx.moveTo(ax.x(e[0]), ax.y(0));
      density.forEach((d, i) => { ctx.lineTo(ax.x(e[i]), ax.y(d)); ctx.lineTo(ax.x(e[i + 1]), ax.y(d)); });
      ctx.lineTo(ax.x(e[e.length - 1]), ax.y(0));
      ctx.closePath();
      ctx.fill();
    });
    stairs(this.realDensity, REAL);
    stairs(fake, FAKE);
    ax.line(xs, pdf, REAL, 1.5);
    ax.frame("samples: real and generated", "x", "density");
    ax.legend([["real x ~ p_data", REAL, 6], ["generated G(z)", FAKE, 6]]);
  };

  Playground.prototype.drawField = function (c, box) {
    const t = this.trainer, lim = this.spec.lim, g = this.grid;
    const side = Math.min(box.w, box.h);
    box = { x: box.x + (box.w - side) / 2, y: box.y, w: side, h: side };
    const ax = new Axes(c, box, [-lim, lim], [-lim, lim]);
    // D(x) over the plane, grey: dark where D says "real" (matplotlib's Greys at alpha 0.75)
    const verdict = t.verdicts(this.plane, g * g);
    const img = new ImageData(g, g);
    for (let i = 0; i < g * g; i++) {
      const v = Math.round(255 - 0.75 * 255 * verdict[i]);
      img.data.set([v, v, v, 255], 4 * i);
    }
    if (!this.tile) this.tile = document.createElement("canvas");
    this.tile.width = this.tile.height = g;
    this.tile.getContext("2d").putImageData(img, 0, 0);
    c.imageSmoothingEnabled = true;
    c.drawImage(this.tile, box.x, box.y, box.w, box.h);
    const n = this.noise.length / this.config.zDim, fake = t.generate(this.noise, n);
    const dots = (x, color) => ax.clip((ctx) => {
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.6;
      for (let i = 0; i < x.length / 2; i++) ctx.fillRect(ax.x(x[2 * i]) - 1.5, ax.y(x[2 * i + 1]) - 1.5, 3, 3);
    });
    // D(x) = 0.5, dashed (marching squares over the grid's cells)
    const cx = (col) => ax.x(-lim + 2 * lim * (col + 0.5) / g), cy = (row) => ax.y(lim - 2 * lim * (row + 0.5) / g);
    ax.clip((ctx) => {
      ctx.strokeStyle = GREY;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      for (let r = 0; r + 1 < g; r++) {
        for (let col = 0; col + 1 < g; col++) {
          const corners = [[r, col], [r, col + 1], [r + 1, col + 1], [r + 1, col]];
          const v = corners.map(([rr, cc]) => verdict[rr * g + cc] - 0.5), points = [];
          for (let e = 0; e < 4; e++) {  // where the level crosses each edge of the cell
            const a = v[e], b = v[(e + 1) % 4];
            if ((a < 0) !== (b < 0)) {
              const t = a / (a - b), [r0, c0] = corners[e], [r1, c1] = corners[(e + 1) % 4];
              points.push([cx(c0 + t * (c1 - c0)), cy(r0 + t * (r1 - r0))]);
            }
          }
          for (let i = 0; i + 1 < points.length; i += 2) {
            ctx.moveTo(points[i][0], points[i][1]);
            ctx.lineTo(points[i + 1][0], points[i + 1][1]);
          }
        }
      }
      ctx.stroke();
    });
    dots(this.real, REAL);
    dots(fake, FAKE);
    // the generator's push on 100 of the fakes, the longest 0.6 long (gb.field_panel's arrows)
    const m = 100, push = t.push(fake.subarray(0, 2 * m), m);
    let longest = 0;
    for (let i = 0; i < m; i++) longest = Math.max(longest, Math.hypot(push[2 * i], push[2 * i + 1]));
    if (longest > 0) {
      const scale = 0.6 / longest;
      ax.clip((ctx) => {
        ctx.strokeStyle = INK;
        ctx.fillStyle = INK;
        ctx.lineWidth = 1;
        for (let i = 0; i < m; i++) {
          const x0 = ax.x(fake[2 * i]), y0 = ax.y(fake[2 * i + 1]);
          const x1 = ax.x(fake[2 * i] + scale * push[2 * i]), y1 = ax.y(fake[2 * i + 1] + scale * push[2 * i + 1]);
          const len = Math.hypot(x1 - x0, y1 - y0);
          if (len < 1) continue;
          const ux = (x1 - x0) / len, uy = (y1 - y0) / len, head = Math.min(5, len / 2);
          ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
          ctx.beginPath();
          ctx.moveTo(x1, y1);
          ctx.lineTo(x1 - head * ux - 0.5 * head * uy, y1 - head * uy + 0.5 * head * ux);
          ctx.lineTo(x1 - head * ux + 0.5 * head * uy, y1 - head * uy - 0.5 * head * ux);
          ctx.fill();
        }
      });
    }
    ax.frame("D(x), white 0 to black 1; samples; G's push", "x\u2081", "x\u2082");
    ax.legend([["real", REAL, "dot"], ["generated", FAKE, "dot"], ["push -\u2207L_G", INK, 1],
               ["D(x) = 0.5", GREY, 1, [4, 3]]], 0.7);
  };

  // -- start ---------------------------------------------------------------------------------
  function mount() {
    document.querySelectorAll(".cell[class*='tag_browser-trainer-']").forEach((cell) => {
      if (cell.querySelector(".gb-playground")) return;
      const tag = Array.from(cell.classList).find((c) => c.startsWith("tag_browser-trainer-"));
      const name = tag.slice("tag_browser-trainer-".length);
      if (!PLAYGROUNDS[name]) {
        console.error("gan-playground.js: no playground named " + name);
        return;
      }
      instances.push(new Playground(cell, name));
    });
  }
  self.GanPlayground = { PLAYGROUNDS: PLAYGROUNDS, instances: instances };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
