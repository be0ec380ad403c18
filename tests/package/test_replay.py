"""Tests of replays: a run's frames played back with matplotlib's player (ganbook.replay)."""

import base64
import io
import re

import pytest
from matplotlib.figure import Figure

import ganbook as gb
from ganbook.replay import compress_png, png_size, thin


def frame(width=200, height=100, shade=0.5):
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    fig.patch.set_facecolor((shade, shade, shade))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_a_replay_embeds_every_frame_in_matplotlibs_player():
    frames = [frame(shade=s) for s in (0.1, 0.5, 0.9)]
    replay = gb.Replay(frames, [0, 50, 100], fps=5, alt="three shades of grey, one per step")
    page = replay.html()
    assert page.count("data:image/png;base64,") == 3
    assert "function Animation(" in page and 'class="anim-slider"' in page  # matplotlib's player
    assert 'alt="three shades of grey, one per step"' in page and 'width="200" height="100"' in page
    assert re.search(r"anim\w+\.last_frame\(\)", page)  # it opens on the end of the run
    assert "generator steps 0 to 100" in page
    assert replay.html() == page  # the same replay gives the same HTML
    assert gb.Replay(frames, [0, 50, 100]).uid != replay.uid  # two replays of one run: two ids
    # nothing from a CDN: matplotlib's Font Awesome link is gone, its icons are characters
    assert "https://" not in page and "<i class=" not in page and "\u25b6" in page


def test_a_replay_of_hidpi_frames_shows_them_at_their_css_size_with_a_named_slider():
    from PIL import Image

    frames = [frame(400, 200, shade=s) for s in (0.2, 0.8)]
    replay = gb.Replay(frames, [0, 10], compress=True, scale=2)
    page = replay.html()
    assert 'width="200" height="100"' in page
    # the compressed frames keep the dots per inch the figure was drawn at
    assert round(Image.open(io.BytesIO(replay.frames[0])).info["dpi"][0]) == 100
    assert 'class="anim-slider" aria-label="Frame of the replay"' in page
    with pytest.raises(ValueError, match="scale must be >= 1, got 0"):
        gb.Replay(frames, [0, 10], scale=0)


def test_a_replay_bundle_falls_back_to_its_last_frame():
    frames = [frame(shade=0.2), frame(shade=0.8)]
    bundle = gb.Replay(frames, [1, 2]).mimebundle()
    assert base64.b64decode(bundle["image/png"]) == frames[-1]
    assert bundle["text/plain"] == "<replay of 2 frames, steps 1 to 2>"


def test_a_replay_of_no_frames_is_refused():
    with pytest.raises(ValueError, match="needs at least one recorded frame"):
        gb.Replay([], [])


def test_frames_of_different_sizes_are_refused():
    with pytest.raises(ValueError, match=r"must all have one size; got \[\(200, 100\), \(300, 100\)\]"):
        gb.Replay([frame(), frame(width=300)], [0, 1])


def test_other_bad_replays_are_refused():
    with pytest.raises(ValueError, match="must be the bytes of a PNG image"):
        gb.Replay([b"GIF89a..."], [0])
    with pytest.raises(ValueError, match="one step per frame"):
        gb.Replay([frame()], [0, 1])
    with pytest.raises(ValueError, match="fps must be a positive"):
        gb.Replay([frame()], [0], fps=0)


def test_png_size_and_thin():
    assert png_size(frame(120, 80)) == (120, 80)
    assert thin(5, 10) == [0, 1, 2, 3, 4]
    assert thin(100, 4) == [0, 33, 66, 99]
    with pytest.raises(ValueError, match="most must be >= 2"):
        thin(10, 1)


def test_compressed_frames_keep_their_size_and_shrink():
    fig = Figure(figsize=(4, 2), dpi=100)
    ax = fig.subplots()
    for i in range(8):
        ax.plot(range(50), [((j * (i + 1)) % 17) for j in range(50)])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    raw = buf.getvalue()
    small = compress_png(raw)
    assert png_size(small) == png_size(raw) and len(small) < 0.8 * len(raw)
    replay = gb.Replay([raw, raw], [0, 1], compress=True)
    assert replay.frames[0] == small


def test_a_replay_can_say_what_its_frames_are():
    frames = [frame(shade=s) for s in (0.1, 0.5, 0.9)]
    replay = gb.Replay(frames, [0, 1, 2], note="one frame per digit: drag the slider to pick one")
    assert "one frame per digit: drag the slider to pick one" in replay.html()
    assert "drawn during training" not in replay.html()
    with pytest.raises(ValueError, match="note must be a non-empty string"):
        gb.Replay(frames, [0, 1, 2], note="  ")
