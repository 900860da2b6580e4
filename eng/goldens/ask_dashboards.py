#!/usr/bin/python3
"""ask_dashboards.py WORKDIR LOGDIR

Prints what TensorBoard's own backend serves to its Histograms, Distributions, PR Curves and Text
dashboards for LOGDIR (tags per run, then each run and tag's data, wall times dropped), as one
sorted JSON document, so that two log directories can be diffed: TensorBoard's own files against
ours. WORKDIR comes from ../shared/tensorboard/oracle/setup.sh.
"""

import json
import logging
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


def ask(workdir, logdir):
    sys.path.insert(0, os.path.join(workdir, "src"))
    sys.path.insert(0, "/work/shared/tensorboard/oracle")
    logging.getLogger("tensorboard").setLevel(logging.ERROR)
    from query import build_app
    from werkzeug.test import Client

    app, _ = build_app(workdir, logdir)
    client = Client(app)

    def get(path):
        r = client.get(path)
        if r.status_code != 200:
            raise SystemExit("%s: HTTP %d %s" % (path, r.status_code, r.get_data(as_text=True)[:300]))
        return json.loads(r.get_data(as_text=True))

    out = {}
    for plugin, data_path in PLUGINS.items():
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
    print(json.dumps(ask(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])), indent=1, sort_keys=True, ensure_ascii=False))
