#!/usr/bin/python3
"""make_projector_goldens.py WORKDIR OUTDIR

Writes a golden log directory of the Custom Scalars and Projector dashboards with PyTorch's own
`torch.utils.tensorboard.SummaryWriter` (Debian's python3-torch: `add_custom_scalars`,
`add_embedding` with one and several metadata columns and thumbnails) and records what
TensorBoard's own backend serves for it (eng/goldens/ask_dashboards.py):

  OUTDIR/logdir/...         event files, STEP/TAG/{tensors,metadata}.tsv, sprite.png, projector_config.pbtxt
  OUTDIR/data.json          every input, so a test can write the same from C#
  OUTDIR/expected.json      the backend's answers (the layout; each embedding's config, vectors, metadata, sprite pixels)
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
import torch  # noqa: E402
from torch.utils.tensorboard import SummaryWriter  # noqa: E402


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    logdir = os.path.join(OUT, "logdir")
    rng = random.Random(2028)
    w = SummaryWriter(logdir)
    layout = {"Training": {"loss": ["Multiline", ["loss/train", "loss/validation"]],
                           "accuracy": ["Margin", ["accuracy/mean", "accuracy/low", "accuracy/high"]]}}
    w.add_custom_scalars(layout)
    vectors = [[round(rng.gauss(0, 1), 5) for _ in range(4)] for _ in range(5)]
    labels = ["cat", "dog", "cat", "bird", "dog"]
    thumbs = [[rng.random() for _ in range(3 * 2 * 2)] for _ in range(5)]
    w.add_embedding(torch.tensor(vectors), metadata=labels, global_step=0, tag="animals",
                    label_img=torch.tensor(thumbs, dtype=torch.float32).reshape(5, 3, 2, 2))
    rows = [[l, str(i % 2)] for i, l in enumerate(labels)]
    w.add_embedding(torch.tensor(vectors), metadata=rows, metadata_header=["label", "fold"], global_step=3, tag="columns")
    w.close()
    for name in os.listdir(logdir):
        if name.startswith("events.out.tfevents"):
            os.rename(os.path.join(logdir, name), os.path.join(logdir, "events.out.tfevents.1700000000.golden.0.0"))
    data = {"layout": layout, "vectors": vectors, "labels": labels, "rows": rows, "header": ["label", "fold"],
            "thumbnails": thumbs, "thumbnail_shape": [3, 2, 2]}
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from ask_dashboards import record
    record(WORKDIR, OUT, logdir, data, ["custom_scalars", "projector"])


if __name__ == "__main__":
    main()
