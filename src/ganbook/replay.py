"""Replays: the frames a dashboard drew while a GAN trained, played back with matplotlib's
JavaScript animation player (play, pause, step, a scrubber), so that the rendered book, Colab and
JupyterLab show training unfold without a kernel (chapter 1 introduces them).

The player is matplotlib's own (the one ``Animation.to_jshtml`` writes): its script and style
come from matplotlib and are embedded in the output with the frames. Two changes make it need
nothing from a CDN: matplotlib's link to Font Awesome is dropped, and its button icons are
plain characters. The frames are the PNGs the dashboard already drew during training: a replay
costs no drawing of its own.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import re
import struct

from matplotlib import _animation_data as player  # the templates of matplotlib's HTMLWriter
from PIL import Image

from . import _checks

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_made = itertools.count()  # replays made in this process: two equal runs still get two ids
# matplotlib's buttons show Font Awesome icons, loaded from a CDN: characters instead, from
# blocks every font has (arrows, geometric shapes; no emoji)
ICONS = {"fa fa-minus": "\u2212", "fa fa-fast-backward": "\u21e4", "fa fa-step-backward": "\u25c1",
         "fa fa-play fa-flip-horizontal": "\u25c0", "fa fa-pause": "\u2016", "fa fa-play": "\u25b6",
         "fa fa-step-forward": "\u25b7", "fa fa-fast-forward": "\u21e5", "fa fa-plus": "+"}


def _player_script() -> str:
    script = re.sub(r"<link[^>]*font-awesome[^>]*>", "", player.JS_INCLUDE)
    if "font-awesome" in script:
        raise RuntimeError("matplotlib's animation player changed: it still loads Font Awesome")
    return script


def _player_body(**fields) -> str:
    body = player.DISPLAY_TEMPLATE.format(**fields)
    for icon, text in ICONS.items():  # each class list is matched whole
        body = body.replace(f'<i class="{icon}"></i>', text)
    if "<i class=" in body:
        raise RuntimeError("matplotlib's animation player has an icon this book does not replace")
    # the scrubber has no label of its own: a screen reader would announce a bare slider
    slider = 'type="range" class="anim-slider"'
    if slider not in body:
        raise RuntimeError("matplotlib's animation player changed: its slider was not found")
    body = body.replace(slider, slider + ' aria-label="Frame of the replay"', 1)
    return body


def png_size(data: bytes) -> tuple:
    """The (width, height) in pixels of the PNG image ``data``."""
    if not isinstance(data, (bytes, bytearray)) or data[:8] != PNG_MAGIC or len(data) < 24:
        raise ValueError("a replay frame must be the bytes of a PNG image")
    return struct.unpack(">II", bytes(data[16:24]))


def compress_png(data: bytes) -> bytes:
    """The PNG ``data`` with its colours reduced to a palette of 256: a dashboard frame (flat
    colours, lines, text) looks the same and takes about a quarter of the bytes."""
    png_size(data)
    image = Image.open(io.BytesIO(data))
    dpi = image.info.get("dpi")  # kept: the figure's size in inches, for a viewer that reads it
    small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", **({"dpi": dpi} if dpi else {}))
    return out.getvalue()


def thin(n: int, most: int) -> list:
    """Indices of at most ``most`` of ``n`` frames, evenly spread, the first and the last kept."""
    n = _checks.integer("n", n, minimum=0)
    most = _checks.integer("most", most, minimum=2)
    if n <= most:
        return list(range(n))
    return sorted({round(i * (n - 1) / (most - 1)) for i in range(most)})


class Replay:
    """A run's dashboard frames, played back in the page (chapter 1; every dashboard leaves one).

    ``frames`` are PNG images of one size, in the order they were drawn; ``steps`` the generator
    step each shows. The player opens on the last frame (the end of the run, as the text
    describes it); play, the step buttons and the scrubber go through the run. ``fps`` is the
    playing speed, ``alt`` the text that describes the figure to a reader who cannot see it.
    ``compress=True`` keeps the frames with a palette of 256 colours (``compress_png``), which keeps
    a chapter page with several replays light. ``note`` replaces the line under the player that
    says what the frames are (chapter 9's frames are one per digit, not training steps).
    ``scale`` is how many image pixels make one CSS pixel: 2 for the frames of a ``FigureDisplay``,
    drawn at twice their shown size so they stay sharp on a HiDPI screen.
    """

    def __init__(self, frames: list, steps: list, *, fps: float = 4.0, alt: str = "", compress: bool = False,
                 note: str | None = None, scale: int = 1):
        if not isinstance(frames, (list, tuple)) or not frames:
            raise ValueError("a replay needs at least one recorded frame; this run recorded none "
                             "(did the dashboard ever draw?)")
        sizes = [png_size(f) for f in frames]
        if len(set(sizes)) != 1:
            raise ValueError(f"a replay's frames must all have one size; got {sorted(set(sizes))} pixels")
        if not isinstance(steps, (list, tuple)) or len(steps) != len(frames):
            raise ValueError(f"steps must give one step per frame ({len(frames)}), got {steps!r}")
        self.frames = [compress_png(f) if compress else bytes(f) for f in frames]
        self.steps = [_checks.integer(f"steps[{i}]", s, minimum=0) for i, s in enumerate(steps)]
        self.fps = _checks.positive_float("fps", fps)
        self.alt = str(alt)
        if note is not None and (not isinstance(note, str) or not note.strip()):
            raise ValueError(f"note must be a non-empty string (or None for the default), got {note!r}")
        self.note = note
        self.size = sizes[0]
        self.scale = _checks.integer("scale", scale, minimum=1)
        # an id from the frames and the replay's place in the run of the notebook, so a rerun
        # gives the same HTML (the determinism check) and two replays on a page never share one
        self.uid = hashlib.sha1(str(next(_made)).encode() + b"".join(self.frames)).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.frames)

    def html(self) -> str:
        """The player as HTML: matplotlib's animation script and style, and the frames inline."""
        uid = self.uid
        fill = "".join(f'    frames[{i}] = "data:image/png;base64,{base64.b64encode(f).decode()}";\n'
                       for i, f in enumerate(self.frames))
        body = _player_body(id=uid, Nframes=len(self.frames), fill_frames=fill, interval=max(1, int(1000 / self.fps)),
                            once_checked="checked", loop_checked="", reflect_checked="")
        width, height = (round(n / self.scale) for n in self.size)
        alt = html.escape(self.alt or f"replay of a training run: {len(self)} frames, steps "
                                      f"{self.steps[0]} to {self.steps[-1]}", quote=True)
        body = body.replace(f'<img id="_anim_img{uid}">',
                            f'<img id="_anim_img{uid}" alt="{alt}" width="{width}" height="{height}" '
                            f'style="max-width: 100%; height: auto">', 1)
        # open on the last frame: the state the chapter's text describes
        start = (f'<script>setTimeout(function() {{ if (window.anim{uid}) {{ anim{uid}.last_frame(); }} }}, 0);'
                 f'</script>')
        text = self.note or (f"a replay of the {len(self)} frames drawn during training (generator steps "
                             f"{self.steps[0]} to {self.steps[-1]}): press play, or drag the slider")
        note = f'<div class="gb-replay-note" style="font-size: 0.8em; color: #555">{html.escape(text)}</div>'

        return (f'<div class="gb-replay" data-frames="{len(self)}">' + _player_script() + player.STYLE_INCLUDE
                + body + start + note + "</div>")

    def _repr_html_(self) -> str:
        return self.html()

    def mimebundle(self) -> dict:
        """The replay as a display bundle: the player as HTML, and its last frame as a plain PNG
        for the viewers that show no HTML."""
        return {"text/html": self.html(), "image/png": base64.b64encode(self.frames[-1]).decode(),
                "text/plain": f"<replay of {len(self)} frames, steps {self.steps[0]} to {self.steps[-1]}>"}
