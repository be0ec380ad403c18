// The book's GAN, trained in the reader's browser: a small multilayer perceptron with its own
// backward pass, Adam, and the training step of ganbook.GANTrainer, written out in plain
// JavaScript with no library. torch does not run in a web page, so chapters 1 and 6 use this
// copy on their web pages; a test of the book (tests/book/test_browser_trainer.py) gives it
// PyTorch's initial weights, batches and noise and checks that 50 steps end with PyTorch's
// weights and losses, to float32 tolerance, and checks its initialisation and data against
// PyTorch's by their statistics.
//
// The weights, activations and gradients are float32 (Float32Array, as torch's are), and the
// matrix products are computed in float32 (gemm below); the rest (the losses, the sigmoids,
// Adam's moments, which torch keeps in float32) in JavaScript's float64. A sum is added in
// another order than PyTorch's: the same GAN, not the same bits.
(function (root) {
  "use strict";

  // -- random numbers --------------------------------------------------------------------------
  // A seeded generator (sfc32, its state filled by splitmix32 from the seed). It is not
  // PyTorch's: seed 0 here draws other numbers than torch.manual_seed(0), from the same
  // distributions.
  function Random(seed) {
    if (!Number.isInteger(seed)) throw new Error("seed must be an integer, got " + seed);
    if (seed < 0) throw new Error("seed must be >= 0, got " + seed);
    if (seed > 4294967295) throw new Error("seed must be <= 4294967295, got " + seed);
    let s = seed >>> 0;
    const next32 = () => {  // splitmix32
      s = (s + 0x9e3779b9) >>> 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    let a = next32(), b = next32(), c = next32(), d = next32();
    this.uint32 = function () {  // sfc32
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return t >>> 0;
    };
    this.spare = null;
  }
  // uniform on [0, 1)
  Random.prototype.uniform = function () { return this.uint32() / 4294967296; };
  // standard normal, two at a time (Box-Muller)
  Random.prototype.normal = function () {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const u = 1 - this.uniform(), v = this.uniform();  // u in (0, 1]: log(u) is finite
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  // n x dim standard normal numbers: torch.randn(n, dim)
  Random.prototype.randn = function (n, dim) {
    const out = new Float32Array(n * dim);
    for (let i = 0; i < n * dim; i++) out[i] = this.normal();
    return out;
  };

  // -- the data sets: p_data -------------------------------------------------------------------
  // gb.Gaussian1D(mean, std): mean + std * torch.randn(n, 1)
  function gaussian1d(mean, std) {
    return {
      dim: 1, mean: mean, std: std,
      sample: function (n, rng) {
        const x = new Float32Array(n);
        for (let i = 0; i < n; i++) x[i] = mean + std * rng.normal();
        return x;
      },
      pdf: function (x) { return Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI)); },
    };
  }

  // gb.TwoMoons(noise): two interleaving half circles of radius 1, centred at 0
  function twoMoons(noise) {
    return {
      dim: 2, noise: noise,
      sample: function (n, rng) {
        const x = new Float32Array(2 * n);
        for (let i = 0; i < n; i++) {
          const lower = rng.uniform() < 0.5, t = Math.PI * rng.uniform();
          x[2 * i] = (lower ? 1 - Math.cos(t) : Math.cos(t)) - 0.5 + noise * rng.normal();
          x[2 * i + 1] = (lower ? 0.5 - Math.sin(t) : Math.sin(t)) - 0.25 + noise * rng.normal();
        }
        return x;
      },
    };
  }

  // -- matrix products: C = A B, one kernel for every layer, forward and backward ------------
  // gemm(A, B, C, M, K, N, acc, at, bias): C (M x N) = A (M x K) times B (K x N), all
  // row-major float32; with acc, C += A B; with at, A is stored transposed (K x M); with a bias
  // (N numbers), C = bias + A B, the bias added to every row. This is the plain JavaScript version; gan-kernels.wat is the same loop in
  // WebAssembly with four columns of C at a time (SIMD), about four times as fast, which the
  // trainer uses where the browser has it. The arrays are views on one memory, so that the
  // WebAssembly code can reach them by their byteOffset.
  function gemmJS(A, B, C, M, K, N, acc, at, bias) {
    const f = Math.fround;  // float32 arithmetic, rounded as WebAssembly's f32 rounds
    const a = (m, k) => (at ? A[k * M + m] : A[m * K + k]);
    for (let m = 0; m < M; m++) {
      if (!acc && bias) C.set(bias.subarray(0, N), m * N);
      else if (!acc) C.fill(0, m * N, (m + 1) * N);
      let k = 0;
      for (; k + 3 < K; k += 4) {  // four k at a time: C[m, :] += A[m, k..k+3] B[k..k+3, :]
        const a0 = a(m, k), a1 = a(m, k + 1), a2 = a(m, k + 2), a3 = a(m, k + 3);
        for (let j = 0; j < N; j++) {
          const b = k * N + j;
          C[m * N + j] = f(C[m * N + j] + f(f(f(a0 * B[b]) + f(a1 * B[b + N])) +
                                            f(f(a2 * B[b + 2 * N]) + f(a3 * B[b + 3 * N]))));
        }
      }
      for (; k < K; k++) {  // the k left over
        const ak = a(m, k);
        for (let j = 0; j < N; j++) C[m * N + j] = f(C[m * N + j] + f(ak * B[k * N + j]));
      }
    }
  }

  // the compiled kernel (gan-kernels.js holds its bytes; `make setup` assembles it), or null
  let kernelModule = null;
  function kernels() {
    if (kernelModule === null && root.GanKernels && typeof WebAssembly === "object") {
      try {
        const bytes = Uint8Array.from(atob(root.GanKernels.wasm), (ch) => ch.charCodeAt(0));
        kernelModule = new WebAssembly.Module(bytes);  // a few hundred bytes: compiled at once
      } catch (err) {
        kernelModule = false;  // no WebAssembly SIMD in this browser: the JavaScript loop does it
      }
    }
    return kernelModule || null;
  }

  // One block of float32 memory for a trainer's networks and buffers, handed out front to back.
  // With the kernel it is the WebAssembly instance's memory, which must not grow (growing would
  // detach every view), so it is sized up front.
  function Memory(bytes, useKernel) {
    const module = useKernel === false ? null : kernels();
    const pages = Math.ceil(bytes / 65536);
    if (module) {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      this.instance = new WebAssembly.Instance(module, { env: { memory: memory } });
      this.buffer = memory.buffer;
      const gemm = this.instance.exports.gemm;
      this.gemm = (A, B, C, M, K, N, acc, at, bias) =>
        gemm(A.byteOffset, B.byteOffset, C.byteOffset, M, K, N, acc ? 1 : 0, at ? 1 : 0, bias ? bias.byteOffset : 0);
    } else {
      this.buffer = new ArrayBuffer(pages * 65536);
      this.gemm = gemmJS;
    }
    this.kernel = module ? "WebAssembly" : "JavaScript";
    this.used = 0;
  }
  Memory.prototype.floats = function (n) {
    const start = this.used;
    this.used += 4 * Math.ceil(n / 4) * 4;  // 16-byte aligned
    if (this.used > this.buffer.byteLength) {
      throw new Error("the trainer's memory is full (" + this.buffer.byteLength + " bytes)");
    }
    return new Float32Array(this.buffer, start, n);
  };

  // -- the networks ------------------------------------------------------------------------------
  // An MLP as chapter 1 writes it: nn.Linear layers of the given sizes with nn.LeakyReLU(0.2)
  // between them and no activation after the last. sizes = [8, 32, 32, 1] is
  //   nn.Sequential(nn.Linear(8, 32), nn.LeakyReLU(0.2), nn.Linear(32, 32), nn.LeakyReLU(0.2),
  //                 nn.Linear(32, 1))
  // Layer l has weight W[l] (out x in, row-major, as torch stores it) and bias b[l].
  const SLOPE = 0.2;
  const CHUNK = 1024;  // the most rows one pass takes: larger sets go through in chunks

  function MLP(sizes, rng, memory, batch) {
    if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new Error("sizes must be two or more layer widths, got " + JSON.stringify(sizes));
    }
    this.sizes = sizes.slice();
    this.memory = memory;
    this.W = [];
    this.b = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const n_in = sizes[l], n_out = sizes[l + 1];
      this.W.push(memory.floats(n_out * n_in));
      this.b.push(memory.floats(n_out));
      // nn.Linear's default initialisation: weight and bias uniform on
      // (-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform_ with a = sqrt(5), then the bias)
      const bound = 1 / Math.sqrt(n_in);
      for (let i = 0; i < this.W[l].length; i++) this.W[l][i] = bound * (2 * rng.uniform() - 1);
      for (let i = 0; i < n_out; i++) this.b[l][i] = bound * (2 * rng.uniform() - 1);
    }
    this.gW = this.W.map((w) => memory.floats(w.length));  // gradients, as param.grad
    this.gb = this.b.map((b) => memory.floats(b.length));
    this.WT = this.W.map((w) => memory.floats(w.length));  // each weight transposed, for forward
    this.changed = true;  // the weights changed since WT was made: Adam and setWeights say so
    this.batch = batch || CHUNK;  // the rows of a training batch
    this.sets = [];  // buffers for passes, by the most rows they take
  }
  // the floats an MLP of these sizes needs for buffers of `rows` rows, and for its weights
  MLP.floatsFor = function (sizes, rows) {
    const total = sizes.reduce((a, b) => a + b, 0);
    let weights = 0;
    for (let l = 0; l + 1 < sizes.length; l++) weights += (sizes[l] + 1) * sizes[l + 1];
    return 4 * weights + rows * (3 * total + 1) + 16 * sizes.length;
  };

  MLP.prototype.parameters = function () {  // in torch's order: weight, bias, layer by layer
    const out = [];
    for (let l = 0; l < this.W.length; l++) out.push(this.W[l], this.b[l]);
    return out;
  };
  MLP.prototype.grads = function () {
    const out = [];
    for (let l = 0; l < this.W.length; l++) out.push(this.gW[l], this.gb[l]);
    return out;
  };
  // the weights as plain arrays, in parameters() order; and back (the test's round trip)
  MLP.prototype.getWeights = function () { return this.parameters().map((p) => Array.from(p)); };
  MLP.prototype.setWeights = function (arrays) {
    const params = this.parameters();
    if (!Array.isArray(arrays) || arrays.length !== params.length) {
      throw new Error("expected " + params.length + " arrays of weights, got " + (arrays && arrays.length));
    }
    params.forEach((p, i) => {
      if (arrays[i].length !== p.length) throw new Error("weights " + i + ": expected " + p.length + " numbers");
      p.set(arrays[i]);
    });
    this.changed = true;
  };

  // buffers for up to `rows` rows: per layer, its output before (pre) and after (act) the
  // activation, and the gradient flowing back
  // Two sets at most, so that the memory sized for them suffices: one of `batch` rows (the
  // training steps) and one of CHUNK rows (anything larger: the pictures, an evaluation)
  MLP.prototype.buffers = function (n) {
    if (n > CHUNK) throw new Error("a pass takes at most " + CHUNK + " rows, got " + n);
    const rows = n <= this.batch ? this.batch : CHUNK;
    let c = this.sets.find((set) => set.rows === rows);
    if (!c) {
      c = { rows: rows, pre: [], act: [], grad: [], ones: this.memory.floats(rows).fill(1) };
      for (let l = 0; l < this.sizes.length; l++) {
        c.act.push(this.memory.floats(rows * this.sizes[l]));
        c.pre.push(this.memory.floats(rows * this.sizes[l]));
        c.grad.push(this.memory.floats(rows * this.sizes[l]));
      }
      this.sets.push(c);
    }
    return c;
  };

  // out (cols x rows) = the transpose of a (rows x cols)
  function transpose(a, rows, cols, out) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
    return out;
  }

  // net(x) for a batch of n rows (n <= CHUNK): returns the output (n x sizes[last]), a view that
  // the next pass overwrites; keeps what backward needs
  MLP.prototype.forward = function (x, n) {
    const c = this.buffers(n), L = this.W.length, gemm = this.memory.gemm;
    c.act[0].set(x.length === n * this.sizes[0] ? x : x.subarray(0, n * this.sizes[0]));
    if (this.changed) {
      for (let l = 0; l < L; l++) transpose(this.W[l], this.sizes[l + 1], this.sizes[l], this.WT[l]);
      this.changed = false;
    }
    for (let l = 0; l < L; l++) {
      const I = this.sizes[l], O = this.sizes[l + 1];
      const pre = c.pre[l + 1], out = c.act[l + 1];
      gemm(c.act[l], this.WT[l], pre, n, I, O, false, false, this.b[l]);  // y = x W^T + b   (nn.Linear)
      if (l === L - 1) {
        out.set(pre.subarray(0, n * O));  // no activation after the last layer
      } else {
        for (let j = 0; j < n * O; j++) out[j] = pre[j] > 0 ? pre[j] : SLOPE * pre[j];  // nn.LeakyReLU(0.2)
      }
    }
    return c.act[L].subarray(0, n * this.sizes[L]);
  };

  // loss.backward() for the last forward pass: dOut is d(loss)/d(output) (n x sizes[last]).
  // Adds to the parameters' gradients (as torch accumulates into .grad) unless `params` is false;
  // with `input`, returns d(loss)/d(input) (n x sizes[0]).
  MLP.prototype.backward = function (dOut, n, params, input) {
    const c = this.buffers(n), L = this.W.length, gemm = this.memory.gemm;
    c.grad[L].set(dOut.length === n * this.sizes[L] ? dOut : dOut.subarray(0, n * this.sizes[L]));
    for (let l = L - 1; l >= 0; l--) {
      const I = this.sizes[l], O = this.sizes[l + 1];
      const g = c.grad[l + 1], pre = c.pre[l + 1];
      if (l < L - 1) {  // through the LeakyReLU: its slope is 1 where its input was > 0, else 0.2
        for (let j = 0; j < n * O; j++) if (!(pre[j] > 0)) g[j] *= SLOPE;
      }
      if (params) {
        gemm(g, c.act[l], this.gW[l], O, n, I, true, true);  // d/dW += g^T x
        gemm(c.ones, g, this.gb[l], 1, n, O, true);  // d/db += the sum over the batch: 1^T g
      }
      if (l === 0 && !input) break;  // nobody asked for d/d(input)
      gemm(g, this.W[l], c.grad[l], n, O, I, false);  // d/dx = g W
    }
    return input ? c.grad[0].subarray(0, n * this.sizes[0]) : null;
  };

  MLP.prototype.zeroGrad = function () {
    this.gW.forEach((g) => g.fill(0));
    this.gb.forEach((g) => g.fill(0));
  };

  // -- Adam: torch.optim.Adam(params, lr=lr, betas=betas), eps 1e-8, no weight decay ----------
  function Adam(net, lr, betas) {
    this.net = net;
    this.lr = lr;
    this.betas = betas;
    this.eps = 1e-8;
    this.t = 0;
    this.m = net.parameters().map((p) => new Float64Array(p.length));  // exp_avg
    this.v = net.parameters().map((p) => new Float64Array(p.length));  // exp_avg_sq
  }
  // optimizer.step()
  Adam.prototype.step = function () {
    const b1 = this.betas[0], b2 = this.betas[1];
    this.t += 1;
    const c1 = 1 - Math.pow(b1, this.t), c2 = Math.sqrt(1 - Math.pow(b2, this.t));
    const stepSize = this.lr / c1;
    const params = this.net.parameters(), grads = this.net.grads();
    for (let k = 0; k < params.length; k++) {
      const p = params[k], g = grads[k], m = this.m[k], v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / c2 + this.eps);
      }
    }
    this.net.changed = true;
  };

  // -- the loss: nn.BCEWithLogitsLoss, the mean over the batch --------------------------------
  function softplus(x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }
  function sigmoid(x) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }
  // bce(logits, target) for a constant target: -[t log sigmoid(l) + (1 - t) log(1 - sigmoid(l))];
  // writes d(loss)/d(logit) = (sigmoid(l) - t) / n into grad and returns the loss
  function bceWithLogits(logits, n, target, grad) {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const l = logits[i];
      loss += softplus(l) - target * l;
      grad[i] = (sigmoid(l) - target) / n;
    }
    return loss / n;
  }
  function meanSigmoid(logits, n) {
    let s = 0;
    for (let i = 0; i < n; i++) s += sigmoid(logits[i]);
    return s / n;
  }
  // a number as Python prints it in ganbook's message: nan, inf, -inf
  function pyFloat(x) { return Number.isNaN(x) ? "nan" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : String(x); }

  // -- the trainer: ganbook.GANTrainer with BCE and the non-saturating generator loss ----------
  // options: zDim, g (layer sizes of G, from zDim to the data's dimension), d (from the data's
  // dimension to 1), data (a p_data above), batch, lrD, lrG, betas, k, seed
  function Trainer(options) {
    const o = Object.assign({ batch: 128, betas: [0.5, 0.999], k: 1, seed: 0 }, options);
    // the argument checks of ganbook.GANTrainer, with its messages
    for (const name of ["lrD", "lrG"]) {
      const py = name === "lrD" ? "lr_d" : "lr_g", v = o[name];
      if (typeof v !== "number") throw new Error(py + " must be a positive number, got " + v);
      if (!isFinite(v) || v <= 0) throw new Error(py + " must be a positive finite number, got " + pyFloat(v));
    }
    for (const name of ["k", "batch", "seed"]) {
      if (!Number.isInteger(o[name])) throw new Error(name + " must be an integer, got " + o[name]);
    }
    if (o.k < 1) throw new Error("k must be >= 1, got " + o.k);
    if (o.batch < 1) throw new Error("batch must be >= 1, got " + o.batch);
    if (o.g[0] !== o.zDim || o.g[o.g.length - 1] !== o.data.dim || o.d[0] !== o.data.dim || o.d[o.d.length - 1] !== 1) {
      throw new Error("G must map zDim numbers to a sample and D a sample to one logit");
    }
    this.options = o;
    if (o.batch > CHUNK) throw new Error("batch must be at most " + CHUNK + ", got " + o.batch);
    this.rng = new Random(o.seed);  // gb.seed_everything(seed)
    // room for the weights, a batch's buffers and a chunk's, of both networks
    const floats = MLP.floatsFor(o.g, o.batch + CHUNK) + MLP.floatsFor(o.d, o.batch + CHUNK);
    this.memory = new Memory(4 * floats + 65536, o.kernel);
    this.generator = new MLP(o.g, this.rng, this.memory, o.batch);  // Generator(): made first, as in make_trainer
    this.discriminator = new MLP(o.d, this.rng, this.memory, o.batch);
    this.optD = new Adam(this.discriminator, o.lrD, o.betas);
    this.optG = new Adam(this.generator, o.lrG, o.betas);
    this.step = 0;  // generator steps taken
    this.history = { step: [], d_real: [], d_fake: [], loss_d: [], loss_g: [] };
    this.stopReason = null;
    const m = o.batch;
    this.gradReal = new Float32Array(m);
    this.gradFake = new Float32Array(m);
    this.fakeCopy = new Float32Array(m * o.data.dim);
    this.logitsReal = new Float32Array(m);
  }

  // A batch of real samples and one of noise, as GANTrainer.sample_real(m) and .noise(m) draw
  // them (a test replaces them, to feed PyTorch's batches)
  Trainer.prototype.sampleReal = function (m) { return this.options.data.sample(m, this.rng); };
  Trainer.prototype.noise = function (m) { return this.rng.randn(m, this.options.zDim); };

  // One discriminator step (GANTrainer.d_step) on the real batch x and the noise z, or on fresh
  // ones: lower L_D = bce(D(x), 1) + bce(D(G(z)), 0), with G fixed. Returns the losses and D's
  // mean verdicts before the update; skipped (no update) when L_D is not finite.
  Trainer.prototype.dStep = function (x, z) {
    const o = this.options, m = o.batch, D = this.discriminator;
    x = x || this.sampleReal(m);  // x = p_data.sample(m)
    z = z || this.noise(m);  // z = torch.randn(m, z_dim)
    this.fakeCopy.set(this.generator.forward(z, m));  // fake = G(z).detach()
    D.zeroGrad();  // opt_d.zero_grad()
    const lr = this.logitsReal;
    lr.set(D.forward(x, m));  // logits_real = D(x)
    const lossReal = bceWithLogits(lr, m, 1, this.gradReal);
    D.backward(this.gradReal, m, true, false);
    const lf = D.forward(this.fakeCopy, m);  // logits_fake = D(fake)
    const out = { d_real: meanSigmoid(lr, m), d_fake: meanSigmoid(lf, m) };
    const lossFake = bceWithLogits(lf, m, 0, this.gradFake);
    out.loss_d = lossReal + lossFake;
    out.skipped = !isFinite(out.loss_d);
    if (out.skipped) return out;
    D.backward(this.gradFake, m, true, false);  // loss_d.backward(): the two batches' gradients add up
    this.optD.step();  // opt_d.step()
    return out;
  };

  // One generator step (GANTrainer.g_step) on the noise z, or on fresh noise: lower
  // L_G = bce(D(G(z)), 1), the non-saturating loss, with D frozen.
  Trainer.prototype.gStep = function (z) {
    const o = this.options, m = o.batch, G = this.generator, D = this.discriminator;
    z = z || this.noise(m);
    G.zeroGrad();  // opt_g.zero_grad()
    const fake = G.forward(z, m);  // G(z)
    const lf = D.forward(fake, m);  // D(G(z)), D frozen
    const out = { loss_g: bceWithLogits(lf, m, 1, this.gradFake) };
    out.skipped = !isFinite(out.loss_g);
    if (out.skipped) return out;
    const dFake = D.backward(this.gradFake, m, false, true);  // to G's output, not into D's weights
    G.backward(dFake, m, true, false);  // ... and on through G: loss_g.backward()
    this.optG.step();  // opt_g.step()
    return out;
  };

  // `steps` iterations of (k D steps, one G step), as GANTrainer.train; each is recorded with
  // the last D step's numbers. A loss that is not finite stops training with ganbook's message.
  Trainer.prototype.train = function (steps) {
    for (let s = 0; s < steps; s++) {
      let d;
      for (let j = 0; j < this.options.k; j++) {
        d = this.dStep();
        if (d.skipped) return this.stopNonfinite("loss_d", d.loss_d);
      }
      const g = this.gStep();
      if (g.skipped) return this.stopNonfinite("loss_g", g.loss_g);
      this.step += 1;
      const h = this.history;
      h.step.push(this.step);
      h.d_real.push(d.d_real);
      h.d_fake.push(d.d_fake);
      h.loss_d.push(d.loss_d);
      h.loss_g.push(g.loss_g);
    }
    return true;
  };
  Trainer.prototype.stopNonfinite = function (name, value) {
    this.stopReason = name + " became " + pyFloat(value) + " at step " + (this.step + 1) +
      "; training stopped there, the models keep their last finite weights and the history up to step " +
      this.step + " is kept";
    return false;
  };

  // fn(from, rows) for the rows of a set of n, CHUNK rows at a time
  function chunks(n, fn) {
    for (let from = 0; from < n; from += CHUNK) fn(from, Math.min(CHUNK, n - from));
  }
  // G's samples for the noise z (n x zDim): G(z)
  Trainer.prototype.generate = function (z, n) {
    const o = this.options, out = new Float32Array(n * o.data.dim);
    chunks(n, (from, rows) => out.set(
      this.generator.forward(z.subarray(from * o.zDim, (from + rows) * o.zDim), rows), from * o.data.dim));
    return out;
  };
  // D's logits for the points x (n x the data's dimension)
  Trainer.prototype.logits = function (x, n) {
    const dim = this.options.data.dim, out = new Float32Array(n);
    chunks(n, (from, rows) => out.set(this.discriminator.forward(x.subarray(from * dim, (from + rows) * dim), rows), from));
    return out;
  };
  // D(x) = sigmoid(logit) for the points x
  Trainer.prototype.verdicts = function (x, n) {
    const out = this.logits(x, n);
    for (let i = 0; i < n; i++) out[i] = sigmoid(out[i]);
    return out;
  };
  // gb.generator_push: -d(L_G)/dx at the points x, with L_G = -log sigmoid(l(x)) summed over the
  // points: (1 - D(x)) times the gradient of D's logit l (chapter 6's arrows)
  Trainer.prototype.push = function (x, n) {
    const dim = this.options.data.dim, D = this.discriminator, out = new Float32Array(n * dim);
    chunks(n, (from, rows) => {
      const l = D.forward(x.subarray(from * dim, (from + rows) * dim), rows), g = new Float32Array(rows);
      for (let i = 0; i < rows; i++) g[i] = sigmoid(l[i]) - 1;  // d(-log sigmoid(l))/dl
      const dx = D.backward(g, rows, false, true);
      for (let i = 0; i < rows * dim; i++) out[from * dim + i] = -dx[i];
    });
    return out;
  };
  // trainer.evaluate(n): mean D(x) and D(G(z)) on n fresh draws, and the samples, from a stream
  // of its own (evaluating does not change what training does next)
  Trainer.prototype.evaluate = function (n, seed) {
    const o = this.options, rng = new Random(seed === undefined ? 1 : seed);
    const x = o.data.sample(n, rng), fake = this.generate(rng.randn(n, o.zDim), n);
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    return { d_real: mean(this.verdicts(x, n)), d_fake: mean(this.verdicts(fake, n)), fake: fake, real: x };
  };

  // the chapters' settings: the networks and data of their PyTorch code
  const CHAPTERS = {
    // chapter 1: Generator() and Discriminator() (hidden=32), p_data = gb.Gaussian1D(4, 1.25),
    // make_trainer(): batch_size=128, Adam with betas (0.5, 0.999)
    chapter1: { zDim: 8, g: [8, 32, 32, 1], d: [1, 32, 32, 1], data: gaussian1d(4.0, 1.25), batch: 128,
                betas: [0.5, 0.999] },
    // chapter 6's playground: gb.MLPGenerator(z_dim=2, hidden=32, data_dim=2, depth=2) and
    // gb.MLPDiscriminator(data_dim=2, hidden=32, depth=2) on gb.TwoMoons(noise=0.05)
    moons: { zDim: 2, g: [2, 32, 32, 2], d: [2, 32, 32, 1], data: twoMoons(0.05), batch: 128,
             betas: [0.5, 0.999] },
  };

  const api = { Random: Random, MLP: MLP, Adam: Adam, Trainer: Trainer, gaussian1d: gaussian1d,
                twoMoons: twoMoons, sigmoid: sigmoid, CHAPTERS: CHAPTERS };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.GanTrainer = api;
})(typeof self !== "undefined" ? self : this);
