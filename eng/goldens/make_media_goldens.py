#!/usr/bin/python3
"""make_media_goldens.py WORKDIR OUTDIR

Writes a golden log directory of the Images and Audio dashboards with PyTorch's own
`torch.utils.tensorboard.SummaryWriter` (Debian's python3-torch; its PNGs from PIL, its WAVs from
the `wave` module) and records what TensorBoard's own backend serves for it, images and audio
decoded (eng/goldens/ask_dashboards.py):

  OUTDIR/logdir/media/events...   add_image, add_images, add_audio
  OUTDIR/data.json                every input, so a test can write the same from C#
  OUTDIR/expected.json            the backend's answers, pixels and samples as SHA-256 of the decoded data
"""

import json
import os
import random
import shutil
import sys

WORKDIR = os.path.abspath(sys.argv[1])
OUT = os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(WORKDIR, "src"))

import numpy as np  # noqa: E402
from torch.utils.tensorboard import SummaryWriter  # noqa: E402


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    logdir = os.path.join(OUT, "logdir")
    rng = random.Random(2027)
    data = {"images": [], "audio": []}
    w = SummaryWriter(os.path.join(logdir, "media"))

    # One RGB image, a grey one, an RGBA one, and a batch of three grey ones, at two steps.
    for step in range(2):
        for tag, (h, wd, c) in (("rgb", (5, 7, 3)), ("grey", (4, 6, 1)), ("rgba", (3, 3, 4))):
            pixels = [rng.randrange(256) for _ in range(h * wd * c)]
            w.add_image(tag, np.array(pixels, dtype=np.uint8).reshape(h, wd, c), step, dataformats="HWC")
            data["images"].append({"tag": tag, "step": step, "height": h, "width": wd, "channels": c, "images": [pixels]})
        batch = [[rng.randrange(256) for _ in range(2 * 3)] for _ in range(3)]
        w.add_images("batch", np.array(batch, dtype=np.uint8).reshape(3, 2, 3, 1), step, dataformats="NHWC")
        data["images"].append({"tag": "batch", "step": step, "height": 2, "width": 3, "channels": 1, "images": batch})

    # Mono clips in [-1, 1] (the ends included, which scale to +-32767).
    for step in range(2):
        samples = [round(rng.uniform(-1, 1), 6) for _ in range(400)] + [1.0, -1.0, 0.0]
        w.add_audio("tone", np.array(samples, dtype=np.float32), step, sample_rate=8000)
        data["audio"].append({"tag": "tone", "step": step, "sample_rate": 8000, "samples": samples})
    w.close()

    (name,) = os.listdir(os.path.join(logdir, "media"))
    os.rename(os.path.join(logdir, "media", name), os.path.join(logdir, "media", "events.out.tfevents.1700000000.golden.0.0"))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from ask_dashboards import record
    record(WORKDIR, OUT, logdir, data, ["images", "audio"])


if __name__ == "__main__":
    main()
