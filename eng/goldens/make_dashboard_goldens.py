#!/usr/bin/python3
"""make_dashboard_goldens.py WORKDIR OUTDIR

Writes a golden log directory of the Histograms, Distributions, PR Curves and Text dashboards
with TensorBoard's OWN summary code and writer (WORKDIR from ../shared/tensorboard/oracle/setup.sh),
and records what TensorBoard's own backend serves for it:

  OUTDIR/logdir/<run>/events...   histogram_pb, pr_curve.pb, text_pb through EventFileWriter
  OUTDIR/data.json                every input, so a test can write the same from C#
  OUTDIR/expected.json            the backend's answers (tags and data per plugin, wall times dropped)

pr_curve's pb imports TensorFlow only for its message classes and make_tensor_proto; a stand-in
module gives it TensorBoard's own compat ones (the same messages), so the numbers are pr_curve's.
Every time is fixed and file names are pinned, so a rerun gives identical bytes.
"""

import json
import os
import random
import shutil
import sys
import types
from unittest import mock

os.environ["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"
WORKDIR = os.path.abspath(sys.argv[1])
OUT = os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(WORKDIR, "src"))

import numpy as np  # noqa: E402
from tensorboard.compat.proto import event_pb2, summary_pb2  # noqa: E402
from tensorboard.summary.writer import event_file_writer  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

# TensorBoard's own compat layer decides once whether TensorFlow is there: let it find none first.
from tensorboard.compat import tf as _compat_tf  # noqa: E402
_compat_tf.io.gfile.exists("/")


def _tensorflow_standin():
    """A stand-in for `import tensorflow.compat.v1 as tf` inside pr_curve's pb and raw_data_pb."""
    tf = types.ModuleType("tensorflow.compat.v1")
    tf.SummaryMetadata = summary_pb2.SummaryMetadata
    tf.Summary = summary_pb2.Summary
    tf.make_tensor_proto = tensor_util.make_tensor_proto
    tf.float32 = np.float32
    compat = types.ModuleType("tensorflow.compat")
    compat.v1 = tf
    root = types.ModuleType("tensorflow")
    root.compat = compat
    return {"tensorflow": root, "tensorflow.compat": compat, "tensorflow.compat.v1": tf}


from tensorboard.plugins.histogram import summary_v2 as histogram  # noqa: E402
from tensorboard.plugins.pr_curve import summary as pr_curve  # noqa: E402
from tensorboard.plugins.text import summary_v2 as text  # noqa: E402

T0 = 1700000000


class _Clock:
    def time(self):
        return T0


def write_run(run_dir, events):
    os.makedirs(run_dir)
    with mock.patch.object(event_file_writer, "time", _Clock()):
        w = event_file_writer.EventFileWriter(run_dir)
    for e in events:
        w.add_event(e)
    w.close()
    (name,) = os.listdir(run_dir)
    os.rename(os.path.join(run_dir, name), os.path.join(run_dir, "events.out.tfevents.%010d.golden.0.0" % T0))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    logdir = os.path.join(OUT, "logdir")
    rng = random.Random(2026)
    data = {"histograms": [], "pr_curves": [], "text": []}

    # Histograms: ordinary data, one value repeated, no data, few buckets, integers with ties on edges.
    events = []
    cases = [
        ("normal", 30, [[round(rng.gauss(step, 1 + step), 6) for _ in range(200)] for step in range(3)]),
        ("constant", 30, [[3.5] * 7]),
        ("empty", 30, [[]]),
        ("five_buckets", 5, [[round(rng.uniform(-2, 2), 6) for _ in range(50)]]),
        ("ties", 4, [[1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5]]),
    ]
    for tag, buckets, steps in cases:
        for step, values in enumerate(steps):
            events.append(event_pb2.Event(wall_time=T0 + step, step=step, summary=histogram.histogram_pb(tag, values, buckets=buckets)))
            data["histograms"].append({"tag": tag, "step": step, "buckets": buckets, "values": values})
    write_run(os.path.join(logdir, "histograms"), events)

    # PR curves: a classifier's float32 scores, at 201 and 11 thresholds, over two steps.
    events = []
    for tag, thresholds in (("classifier", 201), ("coarse", 11)):
        for step in range(2):
            labels = [rng.random() < 0.4 for _ in range(300)]
            scores = [min(1.0, max(0.0, rng.gauss(0.65 if y else 0.35, 0.2 - 0.05 * step))) for y in labels]
            predictions = np.array(scores, dtype=np.float32)
            with mock.patch.dict(sys.modules, _tensorflow_standin()):
                summary = pr_curve.pb(tag, np.array(labels), predictions, num_thresholds=thresholds)
            events.append(event_pb2.Event(wall_time=T0 + step, step=step, summary=summary))
            data["pr_curves"].append({"tag": summary.value[0].tag, "step": step, "thresholds": thresholds, "labels": labels,
                                      "predictions": [float(p) for p in predictions]})
    write_run(os.path.join(logdir, "pr_curves"), events)

    # Text: Markdown with a table, a list, code and raw HTML (shown escaped).
    events = []
    notes = [
        "# Run notes\n\n| lr | units |\n|---|---|\n| 0.01 | 64 |\n\n- first\n- second\n\n`code` and <b>not bold</b>",
        "Second step: *emphasis*, a [link](https://example.org) and ünïcödé.",
    ]
    for step, markdown in enumerate(notes):
        events.append(event_pb2.Event(wall_time=T0 + step, step=step, summary=text.text_pb("notes", markdown)))
        data["text"].append({"tag": "notes", "step": step, "markdown": markdown})
    write_run(os.path.join(logdir, "text"), events)

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from ask_dashboards import PLUGINS, record
    record(WORKDIR, OUT, logdir, data, list(PLUGINS))


if __name__ == "__main__":
    main()
