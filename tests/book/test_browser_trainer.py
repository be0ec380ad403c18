"""The GAN that chapters 1 and 6 train in the reader's browser (vendor/js/gan-trainer.js) is the
GAN their PyTorch code defines.

- Its settings are the chapters': the layer sizes and activations of the chapter's networks, the
  batch size, Adam's betas, the data, and the controls' defaults, read from the chapter itself.
- Given PyTorch's initial weights and the same batches and noise, 50 steps of the JavaScript
  trainer end with PyTorch's weights and losses to float32 tolerance (ganbook.GANTrainer made by
  the chapter's own `make_trainer` gives the reference), in headless Chromium, with the
  WebAssembly kernel and with the plain JavaScript one; chapter 6's arrows too.
- A loss that is not finite stops it with ganbook's own message, and bad settings are refused.
- On the built pages, Train retrains in the page: the dashboard changes while it trains, the
  default run ends at the chapter's equilibrium, and nothing is requested off the machine.
Screenshots before, during and after a run, at 1280 and 390 px, go to _build/screenshots/.
"""

import math
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from browser import browser, server, watched_page  # noqa: F401  (browser and server: fixtures)

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
sys.path.insert(0, str(ROOT / "bench"))
from _notebook import CONTROLS, chapter_controls  # noqa: E402

import ganbook as gb  # noqa: E402

# the playgrounds: where they are, the chapter's names for what they train, and their pages
CH1, CH6 = ROOT / "book" / "01_adversarial_game.ipynb", ROOT / "book" / "06_two_dimensions.ipynb"
PLAYGROUNDS = {
    "chapter1": (CH1, ("SEED", "Z_DIM", "p_data", "device"), "book/01_adversarial_game.html"),
    "moons": (CH6, ("SEED", "Z_DIM", "BATCH", "ring", "moons", "device"), "book/06_two_dimensions.html"),
}
SCRIPTS = ("gan-kernels.js", "gan-trainer.js", "gan-playground.js")


@pytest.fixture(scope="module")
def js(browser, server):  # noqa: F811
    """A page with only the trainer's scripts, and the list of its requests that left the machine."""
    if not (HTML / "_static" / "gan-trainer.js").exists():
        pytest.fail("_build/html is missing the browser trainer: build the book again (make book)")
    page, outside, failed, errors = watched_page(browser)
    page.goto(f"{server}/_static/gan-trainer.js")  # any page of the server: its origin
    page.set_content("<!doctype html><html><body>" + "".join(
        f'<script src="{server}/_static/{name}"></script>' for name in SCRIPTS[:2]) + "</body></html>")
    page.wait_for_function("window.GanTrainer && window.GanKernels")
    yield page
    assert not outside and not failed and not errors, (outside, failed, errors)
    page.close()


def chapter(name):
    """The chapter's namespace (its classes, functions and constants) and its controls' call."""
    path, names, _ = PLAYGROUNDS[name]
    return chapter_controls(path, f"browser-trainer-{name}", names)


def mlp_sizes(module):
    """The widths of an MLP built as chapter 1 writes it: Linear layers with LeakyReLU(0.2) between
    them and nothing after the last; anything else fails."""
    layers = [m for m in module.modules() if not list(m.children())]
    sizes = [layers[0].in_features]
    for i, layer in enumerate(layers):
        if i % 2 == 0:
            assert isinstance(layer, nn.Linear) and layer.bias is not None, layer
            sizes.append(layer.out_features)
        else:
            assert isinstance(layer, nn.LeakyReLU) and layer.negative_slope == 0.2, layer
    assert isinstance(layers[-1], nn.Linear)
    return sizes


@pytest.mark.parametrize("name", PLAYGROUNDS)
def test_the_browser_trainer_has_the_chapters_networks_data_and_settings(js, name):
    ns, make, controls = chapter(name)
    trainer = make(lr_d=controls["lr_d"], lr_g=controls["lr_g"], k=controls["k"], seed=controls["seed"])
    config = js.evaluate(f"""() => {{
        const c = GanTrainer.CHAPTERS[{name!r}], p = c.data;
        return {{zDim: c.zDim, g: c.g, d: c.d, batch: c.batch, betas: c.betas, dim: p.dim, mean: p.mean, std: p.std,
                 noise: p.noise}}; }}""")
    assert config["zDim"] == trainer.z_dim
    assert config["g"] == mlp_sizes(trainer.generator) and config["d"] == mlp_sizes(trainer.discriminator)
    assert config["batch"] == trainer.batch_size and tuple(config["betas"]) == trainer.betas
    assert isinstance(trainer.loss, gb.BCE) and trainer.loss.generator == "non-saturating"
    assert (trainer.loss.real_label, trainer.loss.fake_label, trainer.loss.g_target) == (1.0, 0.0, 1.0)
    assert not trainer.r1 and trainer.pack == 1 and trainer.classes is None
    for opt in (trainer.opt_d, trainer.opt_g):
        group = opt.param_groups[0]
        assert type(opt) is torch.optim.Adam and group["eps"] == 1e-8 and group["weight_decay"] == 0
        assert not group["amsgrad"]
    data = trainer.sample_real
    if isinstance(data, gb.Gaussian1D):
        assert (config["dim"], config["mean"], config["std"]) == (1, data.mean, data.std)
    else:
        assert isinstance(data, gb.TwoMoons) and (config["dim"], config["noise"]) == (2, data.noise)
    assert set(controls) == set(CONTROLS), "the controls' call changed"


def reference_run(name, steps=50):
    """PyTorch's run: the chapter's make_trainer (ganbook.GANTrainer), its initial weights, and
    the batches and noise it was fed (drawn up front), its losses and its weights after ``steps``
    steps; and chapter 6's arrows (gb.generator_push) on some points at the end."""
    ns, make, controls = chapter(name)
    lr_d, lr_g, k = (1e-3, 5e-4, 2) if name == "chapter1" else (controls["lr_d"], controls["lr_g"], controls["k"])
    trainer = make(lr_d=lr_d, lr_g=lr_g, k=k, seed=controls["seed"])
    weights = lambda net: [p.detach().ravel().tolist() for p in net.parameters()]  # noqa: E731
    init = {"G": weights(trainer.generator), "D": weights(trainer.discriminator)}
    gen = torch.Generator().manual_seed(1)
    m, dim = trainer.batch_size, trainer.sample_real(2).shape[1]
    real = [[trainer.sample_real.sample(m, generator=gen) for _ in range(k)] for _ in range(steps)]
    noise = [[torch.randn(m, trainer.z_dim, generator=gen) for _ in range(k + 1)] for _ in range(steps)]
    xs, zs = iter([x for s in real for x in s]), iter([z for s in noise for z in s])
    trainer.sample_real = lambda n: next(xs)
    trainer.noise = lambda n=None: next(zs)
    history = trainer.train(steps)
    assert history.stop_reason is None and len(history) == steps and next(xs, None) is None
    points = torch.randn(64, dim, generator=gen)
    return {
        "config": name, "lr_d": lr_d, "lr_g": lr_g, "k": k, "init": init,
        "real": [[x.ravel().tolist() for x in s] for s in real], "noise": [[z.ravel().tolist() for z in s] for s in noise],
        "points": points.ravel().tolist(), "dim": dim,
    }, {
        "history": {n: getattr(history, n) for n in ("loss_d", "loss_g", "d_real", "d_fake")},
        "G": weights(trainer.generator), "D": weights(trainer.discriminator),
        "push": gb.generator_push(trainer, points).ravel().tolist(),
    }


RUN_IN_PAGE = """(ref) => {
    const out = {};
    for (const kernel of [undefined, false]) {  // WebAssembly where the browser has it, then JavaScript
        const t = new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS[ref.config],
                                                       {lrD: ref.lr_d, lrG: ref.lr_g, k: ref.k, kernel: kernel}));
        t.generator.setWeights(ref.init.G);
        t.discriminator.setWeights(ref.init.D);
        // PyTorch's batches and noise, in the order its trainer drew them; train() does the rest
        const xs = ref.real.flat().map((x) => Float32Array.from(x)), zs = ref.noise.flat().map((z) => Float32Array.from(z));
        t.sampleReal = () => xs.shift();
        t.noise = () => zs.shift();
        const finished = t.train(ref.real.length);
        out[t.memory.kernel] = {finished: finished, step: t.step, left: xs.length + zs.length,
                                history: {loss_d: t.history.loss_d, loss_g: t.history.loss_g,
                                          d_real: t.history.d_real, d_fake: t.history.d_fake},
                                G: t.generator.getWeights(), D: t.discriminator.getWeights(),
                                push: Array.from(t.push(Float32Array.from(ref.points), ref.points.length / ref.dim))};
    }
    return out;
}"""


@pytest.mark.parametrize("name", PLAYGROUNDS)
def test_fifty_steps_in_the_browser_end_with_pytorchs_weights_and_losses(js, name):
    ref, torch_run = reference_run(name)
    runs = js.evaluate(RUN_IN_PAGE, ref)
    assert set(runs) == {"WebAssembly", "JavaScript"}, "Chromium must run the WebAssembly kernel"
    # the two kernels add in the same order and round to float32 alike: the same bits
    assert runs["WebAssembly"] == runs["JavaScript"]
    for kernel, run in runs.items():
        # train() took k D steps and a G step per step, and used every batch, as GANTrainer did
        assert run["finished"] and run["step"] == len(ref["real"]) and run["left"] == 0
        for key, values in torch_run["history"].items():
            np.testing.assert_allclose(run["history"][key], values, rtol=1e-5, atol=1e-6, err_msg=f"{kernel}: {key}")
        for net in ("G", "D"):
            moved = max(np.abs(np.subtract(a, b)).max() for a, b in zip(torch_run[net], ref["init"][net]))
            assert moved > 1e-3, f"{net} hardly trained: the comparison would prove nothing"
            for i, (mine, theirs) in enumerate(zip(run[net], torch_run[net])):
                np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-5, err_msg=f"{kernel}: {net} tensor {i}")
        np.testing.assert_allclose(run["push"], torch_run["push"], rtol=1e-4, atol=1e-6, err_msg=f"{kernel}: push")


def test_a_loss_that_is_not_finite_stops_the_browser_trainer_with_ganbooks_message(js):
    ns, make, controls = chapter("chapter1")
    trainer = make(**{k: controls[k] for k in ("lr_d", "lr_g", "k", "seed")})
    with torch.no_grad():
        next(trainer.discriminator.parameters())[0, 0] = math.nan
    with pytest.warns(RuntimeWarning):
        trainer.train(1)
    in_page = js.evaluate("""() => {
        const t = new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS.chapter1, {lrD: 5e-4, lrG: 5e-4}));
        const w = t.discriminator.getWeights();
        w[0][0] = NaN;
        t.discriminator.setWeights(w);
        return [t.train(1), t.stopReason, t.history.step.length];
    }""")
    assert in_page == [False, trainer.history.stop_reason, 0]


@pytest.mark.parametrize("settings, message", [
    ({"lrD": 0}, "lr_d must be a positive finite number, got 0"),
    ({"lrG": -1e-3}, "lr_g must be a positive finite number, got -0.001"),
    ({"k": 0}, "k must be >= 1, got 0"),
    ({"seed": 1.5}, "seed must be an integer, got 1.5"),
])
def test_the_browser_trainer_refuses_bad_settings_as_ganbook_does(js, settings, message):
    error = js.evaluate("""(settings) => {
        try { new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS.chapter1, {lrD: 5e-4, lrG: 5e-4}, settings)); }
        catch (err) { return err.message; }
        return null;
    }""", settings)
    assert error == message
    (key, value), = settings.items()
    ns, make, controls = chapter("chapter1")
    arguments = {k: controls[k] for k in ("lr_d", "lr_g", "k", "seed")}
    arguments[{"lrD": "lr_d", "lrG": "lr_g"}.get(key, key)] = value
    with pytest.raises(ValueError, match=re.escape(message)):  # ganbook's own words
        make(**arguments)


def test_the_two_kernels_give_the_same_bits_whatever_the_sizes(js):
    # batches of 3, 7 and 127 rows make products whose inner size is not a multiple of 4
    runs = js.evaluate("""() => [3, 7, 127, 128].map((batch) => [undefined, false].map((kernel) => {
        const t = new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS.chapter1,
                                                       {lrD: 1e-3, lrG: 1e-3, batch: batch, kernel: kernel}));
        t.train(3);
        return [t.memory.kernel, t.generator.getWeights(), t.discriminator.getWeights(), t.evaluate(3000).d_fake];
    }))""")
    for (wasm, plain) in runs:
        assert (wasm[0], plain[0]) == ("WebAssembly", "JavaScript") and wasm[1:] == plain[1:]


def test_the_initial_weights_are_drawn_as_nn_linear_draws_them(js):
    # uniform on (-1/sqrt(fan_in), 1/sqrt(fan_in)), weights and biases: over 20 seeds, every draw
    # within the bound and, where there are enough of them, the largest near it, the mean near 0
    # and the spread the uniform's, b/sqrt(3) (a bound of 1/fan_in, or sqrt(2/fan_in), fails)
    layers = js.evaluate("""() => {
        const out = {};
        for (let seed = 0; seed < 20; seed++) {
            const t = new GanTrainer.Trainer(Object.assign({}, GanTrainer.CHAPTERS.chapter1, {lrD: 1e-3, lrG: 1e-3, seed: seed}));
            for (const [name, net] of [["G", t.generator], ["D", t.discriminator]]) {
                net.parameters().forEach((p, i) => {
                    const key = name + i, fanIn = net.sizes[Math.floor(i / 2)];
                    out[key] = out[key] || {fanIn: fanIn, values: []};
                    out[key].values.push(...p);
                });
            }
        }
        return out;
    }""")
    torch.manual_seed(0)
    reference = nn.Linear(32, 32).weight.detach().ravel().numpy()  # the same law, drawn by torch
    for key, layer in layers.items():
        values, bound = np.array(layer["values"]), 1 / math.sqrt(layer["fanIn"])
        assert np.abs(values).max() <= bound, key
        if len(values) >= 500:  # enough draws to know the law (the last layer's bias has 20)
            assert np.abs(values).max() > 0.95 * bound, key
            assert abs(values.mean()) < 0.1 * bound and abs(values.std() / (bound / math.sqrt(3)) - 1) < 0.1, key
    assert abs(reference.std() / (1 / math.sqrt(32) / math.sqrt(3)) - 1) < 0.1


@pytest.mark.parametrize("name", PLAYGROUNDS)
def test_the_browser_draws_the_chapters_data(js, name):
    # the same distribution as ganbook's sampler: the mean and spread of each coordinate, and their
    # correlation, over 100,000 samples of each
    ns, make, controls = chapter(name)
    p_data = make(**{k: controls[k] for k in ("lr_d", "lr_g", "k", "seed")}).sample_real
    mine = np.array(js.evaluate(f"""() => Array.from(GanTrainer.CHAPTERS[{name!r}].data.sample(100000,
                                                                    new GanTrainer.Random(0)))""")).reshape(100_000, -1)
    theirs = p_data.sample(100_000, generator=torch.Generator().manual_seed(0)).numpy()
    np.testing.assert_allclose(mine.mean(0), theirs.mean(0), atol=0.015)
    np.testing.assert_allclose(mine.std(0), theirs.std(0), atol=0.015)
    if mine.shape[1] == 2:
        assert abs(np.corrcoef(mine.T)[0, 1] - np.corrcoef(theirs.T)[0, 1]) < 0.02
        # and its shape: the share of points in each quarter of the plane around the origin
        quarters = lambda x: np.histogram2d(x[:, 0], x[:, 1], bins=[[-9, 0, 9], [-9, 0, 9]])[0] / len(x)  # noqa: E731
        np.testing.assert_allclose(quarters(mine), quarters(theirs), atol=0.01)


def test_the_trainer_and_its_drawing_weigh_at_most_200_kb():
    total = sum((HTML / "_static" / name).stat().st_size for name in SCRIPTS)
    assert total <= 200_000, f"{total} bytes"


# -- on the built pages ----------------------------------------------------------------------------

def open_playground(browser, server, name, width=1280):  # noqa: F811
    page, outside, failed, errors = watched_page(browser)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/{PLAYGROUNDS[name][2]}", wait_until="networkidle")
    page.wait_for_function("window.GanPlayground && GanPlayground.instances.length > 0")
    # the theme's sticky header would cover the top of the playground in its screenshots
    page.add_style_tag(content=".bd-header, .bd-header-article, .skip-link { visibility: hidden !important; }")
    box = page.locator(".gb-playground")
    box.scroll_into_view_if_needed()
    return page, box, outside, failed, errors


def set_value(box, label, value):
    box.get_by_label(label, exact=True).fill(str(value))


@pytest.mark.parametrize("name", PLAYGROUNDS)
def test_the_page_shows_the_chapters_controls_enabled_with_its_defaults(browser, server, name):  # noqa: F811
    ns, make, controls = chapter(name)
    page, box, outside, failed, errors = open_playground(browser, server, name)
    spec = page.evaluate(f"GanPlayground.PLAYGROUNDS[{name!r}]")
    assert (spec["steps"], spec["maxSteps"], spec["lrD"], spec["lrG"], spec["k"], spec["seed"]) == tuple(
        controls[k] for k in ("steps", "max_steps", "lr_d", "lr_g", "k", "seed"))
    assert box.count() == 1 and box.is_visible()
    for label in ("D learning rate", "G learning rate", "steps", "k (D steps per G)", "seed"):
        assert box.get_by_label(label, exact=True).is_enabled()
    assert box.get_by_role("button", name="Train").is_enabled()
    # the cell's Python controls, disabled here, give way to these
    assert page.locator(".gb-trains-here .cell_output .jupyter-widgets.gb-needs-python").evaluate_all(
        "views => views.every(v => getComputedStyle(v).display === 'none')")
    assert not outside and not failed and not errors, (outside, failed, errors)
    page.close()


def hold(page, step):
    """Hold the page's next or current run at ``step`` (None: let it go on)."""
    page.evaluate("(step) => { GanPlayground.instances[0].holdAt = step; }", step)


def frame(page):
    return page.evaluate("document.querySelector('.gb-pg-canvas').toDataURL()")


def train_and_watch(page, box, name):
    """Press Train with the controls as they are and wait for the run's end; the dashboard must
    change while it trains, and Stop be the live button then. Screenshots of the playground
    before, during and after go to _build/screenshots/browser-trainer-{name}-*.png. Returns the
    status line."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(SHOTS / f"browser-trainer-{name}-before.png"))
    before = frame(page)
    hold(page, 400)  # however fast the machine, the run waits at step 400 to be looked at
    box.get_by_role("button", name="Train").click()
    page.wait_for_function("GanPlayground.instances[0].trainer.step === 400")
    during = frame(page)
    box.screenshot(path=str(SHOTS / f"browser-trainer-{name}-during.png"))
    assert box.get_by_role("button", name="Stop").is_enabled() and not box.get_by_role("button", name="Train").is_enabled()
    assert box.get_by_label("seed", exact=True).is_disabled()  # a run's settings hold while it trains
    hold(page, None)
    page.wait_for_function("!GanPlayground.instances[0].running", timeout=60_000)
    after = frame(page)
    box.screenshot(path=str(SHOTS / f"browser-trainer-{name}-after.png"))
    assert before != during and during != after, "the dashboard did not change while it trained"
    return box.locator(".gb-pg-status").inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_train_retrains_chapter_1_in_the_page_to_the_chapters_equilibrium(browser, server, width):  # noqa: F811
    page, box, outside, failed, errors = open_playground(browser, server, "chapter1", width)
    status = train_and_watch(page, box, f"ch1-{width}")
    assert status.startswith("after 1500 steps (") and "D(x) = " in status and "became" not in status, status
    if width == 1280:
        # the default run ends as chapter 1's asserts require of the PyTorch run: D(x) and D(G(z))
        # within 0.05 of 0.5, and p_g's mean within 10% of p_data's. Its spread keeps moving while
        # training goes on (in PyTorch as here, seed by seed): within 20% of p_data's.
        end = page.evaluate("""() => {
            const t = GanPlayground.instances[0].trainer, e = t.evaluate(20000), f = Array.from(e.fake);
            const mean = f.reduce((a, b) => a + b, 0) / f.length;
            const std = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / (f.length - 1));
            return {d_real: e.d_real, d_fake: e.d_fake, mean: mean, std: std, step: t.step};
        }""")
        p_data = chapter("chapter1")[0]["p_data"]
        assert end["step"] == 1500
        assert abs(end["d_real"] - 0.5) < 0.05 and abs(end["d_fake"] - 0.5) < 0.05, end
        assert abs(end["mean"] - p_data.mean) < 0.10 * p_data.mean, end
        assert abs(end["std"] - p_data.std) < 0.20 * p_data.std, end
    assert not outside and not failed and not errors, (outside, failed, errors)
    page.close()


def test_a_strong_discriminator_and_stop_in_the_page(browser, server):  # noqa: F811
    # the chapter's first thing to try: D's learning rate ten times G's
    page, box, outside, failed, errors = open_playground(browser, server, "chapter1")
    set_value(box, "D learning rate", "5e-3")
    set_value(box, "steps", 600)
    box.get_by_role("button", name="Train").click()
    page.wait_for_function("!GanPlayground.instances[0].running", timeout=60_000)
    trainer = page.evaluate("({lr: GanPlayground.instances[0].trainer.options.lrD, "
                            "h: GanPlayground.instances[0].trainer.history})")
    assert trainer["lr"] == 5e-3 and len(trainer["h"]["step"]) == 600
    gap = max(r - f for r, f in zip(trainer["h"]["d_real"], trainer["h"]["d_fake"]))
    assert gap > 0.5, "a discriminator ten times as fast should pull D(x) and D(G(z)) far apart early on"
    set_value(box, "steps", 6000)
    hold(page, 100)
    box.get_by_role("button", name="Train").click()
    page.wait_for_function("GanPlayground.instances[0].trainer.step === 100")
    box.get_by_role("button", name="Stop").click()
    page.wait_for_function("!GanPlayground.instances[0].running")
    assert "stopped at step 100" in box.locator(".gb-pg-status").inner_text()
    assert not outside and not failed and not errors, (outside, failed, errors)
    page.close()


BAD_SETTINGS = [
    ("D learning rate", "0", "must be above 0, got 0"),
    ("G learning rate", "-1e-3", "must be above 0, got -1e-3"),
    ("D learning rate", "1", "must lie within the slider's range, 1e-5 to 1e-1, got 1"),
    ("G learning rate", "abc", "must be a number, got abc"),
    ("k (D steps per G)", "0", "must be >= 1, got 0"),
    ("seed", "1.5", "must be a whole number, got 1.5"),
    ("steps", "", "is empty"),
]


def test_the_page_refuses_bad_settings_with_a_message_that_names_the_control(browser, server):  # noqa: F811
    page, box, outside, failed, errors = open_playground(browser, server, "chapter1")
    status = box.locator(".gb-pg-status")
    for label, value, why in BAD_SETTINGS:
        page.reload(wait_until="networkidle")
        page.wait_for_function("window.GanPlayground && GanPlayground.instances.length > 0")
        set_value(box, label, value)
        box.get_by_role("button", name="Train").click()
        assert status.inner_text() == f"error: {label} {why}"
        # the control is marked for the eye and for a screen reader, and nothing trains
        assert box.get_by_label(label, exact=True).get_attribute("aria-invalid") == "true"
        assert not page.evaluate("GanPlayground.instances[0].running")
        assert page.evaluate("GanPlayground.instances[0].trainer.step") == 0
    assert not outside and not failed and not errors, (outside, failed, errors)
    page.close()


def test_a_nan_in_the_page_stops_the_run_with_ganbooks_message(browser, server):  # noqa: F811
    page, box, outside, failed, errors = open_playground(browser, server, "chapter1")
    hold(page, 50)
    box.get_by_role("button", name="Train").click()
    page.wait_for_function("GanPlayground.instances[0].trainer.step === 50")
    page.evaluate("""() => {
        const G = GanPlayground.instances[0].trainer.generator, w = G.getWeights();
        w[0][0] = NaN;
        G.setWeights(w);
    }""")
    hold(page, None)
    page.wait_for_function("!GanPlayground.instances[0].running")
    status = box.locator(".gb-pg-status").inner_text()
    assert status.endswith("; loss_d became nan at step 51; training stopped there, the models keep their last "
                           "finite weights and the history up to step 50 is kept"), status
    page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_train_retrains_chapter_6s_playground_in_the_page(browser, server, width):  # noqa: F811
    page, box, outside, failed, errors = open_playground(browser, server, "moons", width)
    status = train_and_watch(page, box, f"ch6-{width}")
    assert status.startswith("after 1500 steps (") and "D(x) = " in status and "became" not in status, status
    # chapter 6's measure, on the page's run and on the data (whose share is the ceiling)
    close = re.search(r"within 0\.15 of a moon: ([\d.]+)% of 10,000 generated samples \(([\d.]+)% of real ones\)", status)
    assert close and 90 < float(close.group(2)) <= 100 and 0 < float(close.group(1)) <= 100, status
    if width == 390:  # the dashboard fits a phone's width
        assert page.evaluate("document.querySelector('.gb-pg-canvas').getBoundingClientRect().right") <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not outside and not failed and not errors, (outside, failed, errors)
    page.close()
