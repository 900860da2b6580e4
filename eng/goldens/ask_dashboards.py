#!/usr/bin/python3
"""ask_dashboards.py WORKDIR LOGDIR

Prints what TensorBoard's own backend serves to its Histograms, Distributions, PR Curves, Text,
Images and Audio dashboards for LOGDIR (tags per run, then each run and tag's data, wall times
dropped; each image and clip fetched and decoded, given as its size or WAV parameters and the
SHA-256 of its pixels or samples), as one sorted JSON document, so that two log directories can be
diffed: TensorBoard's or PyTorch's files against ours. WORKDIR comes from
../shared/tensorboard/oracle/setup.sh. `--plugins images,audio` limits the plugins asked.
"""

import hashlib
import io
import json
import logging
import wave
import os
import sys
import urllib.parse

PLUGINS = {
    "histograms": "/data/plugin/histograms/histograms",
    "distributions": "/data/plugin/distributions/distributions",
    "pr_curves": "/data/plugin/pr_curves/pr_curves",
    "text": "/data/plugin/text/text",
}


def _drop_wall_times(value):
    if isinstance(value, dict):
        return {k: _drop_wall_times(v) for k, v in value.items() if k not in ("wall_time", "wallTime")}
    if isinstance(value, list):
        # histogram and distribution entries are [wall_time, step, data]
        if len(value) == 3 and isinstance(value[0], float) and isinstance(value[1], int):
            return [value[1], _drop_wall_times(value[2])]
        return [_drop_wall_times(v) for v in value]
    return value


MEDIA = {
    "images": "/data/plugin/images/images",
    "audio": "/data/plugin/audio/audio",
}


def _decoded(plugin, blob):
    if plugin == "images":
        from PIL import Image
        image = Image.open(io.BytesIO(blob))
        return {"mode": image.mode, "size": list(image.size), "pixels_sha256": hashlib.sha256(image.tobytes()).hexdigest()}
    with wave.open(io.BytesIO(blob)) as clip:
        frames = clip.readframes(clip.getnframes())
        return {"channels": clip.getnchannels(), "sample_width": clip.getsampwidth(), "rate": clip.getframerate(),
                "frames": clip.getnframes(), "samples_sha256": hashlib.sha256(frames).hexdigest()}


def _build_app(logdir, with_projector):
    """The backend as the oracle's query.py builds it, plus the Projector (a plugin TensorBoard loads on its own)."""
    from tensorboard import default, program
    from tensorboard.backend import application
    from tensorboard.backend.event_processing import data_ingester
    from tensorboard.plugins.projector import projector_plugin

    plugins = default.get_plugins() + ([projector_plugin.ProjectorPlugin] if with_projector else [])
    tb = program.TensorBoard(plugins=plugins)
    tb.configure(argv=["", "--logdir", logdir, "--load_fast=false", "--reload_task=blocking", "--reload_interval=0"])
    ingester = data_ingester.LocalDataIngester(tb.flags)
    ingester.start()
    return application.TensorBoardWSGIApp(tb.flags, tb.plugin_loaders, ingester.data_provider, tb.assets_zip_provider, ingester.deprecated_multiplexer)


def record(workdir, out, logdir, data, plugins=None):
    """Writes OUT/data.json (every input, for the C# tests) and OUT/expected.json (the backend's answers for LOGDIR)."""
    with open(os.path.join(out, "data.json"), "w") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(ask(workdir, logdir, plugins), f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def ask(workdir, logdir, plugins=None):
    sys.path.insert(0, os.path.join(workdir, "src"))
    logging.getLogger("tensorboard").setLevel(logging.ERROR)
    from werkzeug.test import Client

    app = _build_app(logdir, with_projector=plugins is not None and "projector" in plugins)
    client = Client(app)

    def get(path):
        r = client.get(path)
        if r.status_code != 200:
            raise SystemExit("%s: HTTP %d %s" % (path, r.status_code, r.get_data(as_text=True)[:300]))
        return json.loads(r.get_data(as_text=True))

    def blob(path):
        r = client.get(path)
        if r.status_code != 200:
            raise SystemExit("%s: HTTP %d" % (path, r.status_code))
        return r.get_data()

    out = {}
    if plugins is not None and "custom_scalars" in plugins:
        out["custom_scalars"] = get("/data/plugin/custom_scalars/layout")
    if plugins is not None and "projector" in plugins:
        projector = {}
        for run in get("/data/plugin/projector/runs"):
            info = get("/data/plugin/projector/info?" + urllib.parse.urlencode({"run": run}))
            for embedding in info.get("embeddings", []):
                q = urllib.parse.urlencode({"run": run, "name": embedding["tensorName"]})
                vectors = blob("/data/plugin/projector/tensor?" + q)
                entry = {"config": embedding, "tensor_sha256": hashlib.sha256(vectors).hexdigest(), "tensor_bytes": len(vectors)}
                if embedding.get("metadataPath"):
                    entry["metadata"] = blob("/data/plugin/projector/metadata?" + q).decode("utf-8")
                if embedding.get("sprite"):
                    entry["sprite"] = _decoded("images", blob("/data/plugin/projector/sprite_image?" + q))
                projector["%s/%s" % (run, embedding["tensorName"])] = entry
        out["projector"] = projector
    for plugin, data_path in MEDIA.items():
        if plugins is not None and plugin not in plugins:
            continue
        tags = get("/data/plugin/%s/tags" % plugin)
        answers = {}
        for run, by_tag in sorted(tags.items()):
            for tag, info in sorted(by_tag.items()):
                samples = info.get("samples", 1) if isinstance(info, dict) else 1
                for sample in range(samples):
                    q = urllib.parse.urlencode({"run": run, "tag": tag, "sample": sample})
                    entries = []
                    for entry in get("%s?%s" % (data_path, q)):
                        decoded = _decoded(plugin, blob("/data/plugin/%s/%s?%s" % (plugin, "individualImage" if plugin == "images" else "individualAudio", entry["query"])))
                        kept = {k: v for k, v in entry.items() if k not in ("wall_time", "wallTime", "query")}
                        entries.append(dict(kept, **decoded))
                    answers["%s/%s/%d" % (run, tag, sample)] = entries
        out[plugin] = {"tags": {run: {t: (v.get("samples") if isinstance(v, dict) else v) for t, v in sorted(tg.items())} for run, tg in tags.items()}, "data": answers}
    for plugin, data_path in PLUGINS.items():
        if plugins is not None and plugin not in plugins:
            continue
        tags = get("/data/plugin/%s/tags" % plugin)
        answers = {}
        for run, by_tag in sorted(tags.items()):
            for tag in sorted(by_tag):
                q = urllib.parse.urlencode({"run": run, "tag": tag})
                if plugin == "pr_curves":
                    q = urllib.parse.urlencode([("run", run), ("tag", tag)])
                answers["%s/%s" % (run, tag)] = _drop_wall_times(get("%s?%s" % (data_path, q)))
        out[plugin] = {"tags": {run: sorted(t) for run, t in tags.items()}, "data": answers}
    return out


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--plugins")]
    chosen = next((a.split("=", 1)[1].split(",") for a in sys.argv[1:] if a.startswith("--plugins=")), None)
    print(json.dumps(ask(os.path.abspath(args[0]), os.path.abspath(args[1]), chosen), indent=1, sort_keys=True, ensure_ascii=False))
