#!/usr/bin/python3
"""list_dashboard_tags.py WORKDIR LOGDIR

Prints, as sorted JSON, which tags TensorBoard's own backend lists for LOGDIR in each dashboard,
by run: scalars, histograms, distributions, images, audio, text, PR curves, custom scalars (whether
a layout exists) and the projector (its runs and embeddings). WORKDIR comes from
../shared/tensorboard/oracle/setup.sh.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ask_dashboards import _build_app  # noqa: E402


def main():
    workdir, logdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    sys.path.insert(0, os.path.join(workdir, "src"))
    from werkzeug.test import Client
    client = Client(_build_app(logdir, with_projector=True))

    def get(path):
        r = client.get(path)
        return json.loads(r.get_data(as_text=True)) if r.status_code == 200 else None

    out = {}
    for plugin in ("scalars", "histograms", "distributions", "images", "audio", "text", "pr_curves"):
        tags = get("/data/plugin/%s/tags" % plugin) or {}
        out[plugin] = {run: sorted(t) for run, t in sorted(tags.items()) if t}
    layout = get("/data/plugin/custom_scalars/layout") or {}
    out["custom_scalars"] = [c["title"] for c in layout.get("category", [])]
    projector = {}
    for run in get("/data/plugin/projector/runs") or []:
        info = get("/data/plugin/projector/info?run=" + run) or {}
        projector[run] = sorted(e["tensorName"] for e in info.get("embeddings", []))
    out["projector"] = projector
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
