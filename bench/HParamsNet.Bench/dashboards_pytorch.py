#!/usr/bin/python3
"""dashboards_pytorch.py DIR COUNTS_JSON: PyTorch's SummaryWriter on the data DashboardThroughput
writes (same sizes, same kinds); prints {kind: events per second} as JSON."""

import json
import math
import random
import sys
import time

import numpy as np
from torch.utils.tensorboard import SummaryWriter
from torch.utils.tensorboard import summary as _summary

# PyTorch 1.13's histogram calls np.greater(..., dtype=np.int32), which Debian 12's numpy refuses
# ("No loop matching the specified signature"); the same result, computed the way numpy accepts.
class _Numpy:
    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def greater(a, b, dtype=None):
        result = np.greater(a, b)
        return result if dtype is None else result.astype(dtype)


_summary.np = _Numpy()

out, counts = sys.argv[1], json.loads(sys.argv[2])
rng = random.Random(7)
histogram = np.array([rng.gauss(0, 1) for _ in range(10_000)])
labels = np.array([rng.random() < 0.4 for _ in range(1_000)])
predictions = np.clip(np.where(labels, 0.65, 0.35) + 0.2 * np.array([rng.gauss(0, 1) for _ in range(1_000)]), 0, 1).astype(np.float32)
image = np.array([rng.randrange(256) for _ in range(64 * 64 * 3)], dtype=np.uint8).reshape(64, 64, 3)
audio = (0.5 * np.sin(2 * math.pi * 440 * np.arange(16_000) / 16000.0)).astype(np.float32)
markdown = "| epoch | loss |\n|---:|---:|\n| 1 | 0.25 |\n\nA note on this run."
kinds = {
    "histogram": lambda w, s: w.add_histogram("h", histogram, s, bins="tensorflow"),
    "pr_curve": lambda w, s: w.add_pr_curve("pr", labels, predictions, s, num_thresholds=127),
    "text": lambda w, s: w.add_text("t", markdown, s),
    "image": lambda w, s: w.add_image("i", image, s, dataformats="HWC"),
    "audio": lambda w, s: w.add_audio("a", audio, s, sample_rate=16000),
}
rates = {}
for kind, write in kinds.items():
    w = SummaryWriter(out + "-" + kind)
    start = time.perf_counter()
    for step in range(counts[kind]):
        write(w, step)
    w.close()
    rates[kind] = counts[kind] / (time.perf_counter() - start)
print(json.dumps(rates))
