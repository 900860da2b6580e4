#!/usr/bin/env python3
"""Summarises what the real TensorBoard backend shows for a study's log directory.

Reads the JSON that ../shared/tensorboard/oracle/query.py prints and counts, by TensorBoard's own
session groups: groups whose FOLDS sessions all ended SUCCESS, the configurations among them seen
twice, the other groups (attempts cut short) with their statuses, and sessions without an end.

    /usr/bin/python3 ../shared/tensorboard/oracle/query.py WORKDIR LOGDIR > oracle.json
    python3 tests/HParamsNet.FaultInjection/oracle-groups.py oracle.json FOLDS
"""
import collections
import json
import sys


def main() -> int:
    document = json.load(open(sys.argv[1]))
    folds = int(sys.argv[2])
    groups = document["session_groups"]["default"]["sessionGroups"]
    successful = [g for g in groups if len(g["sessions"]) == folds and all(s["status"] == "STATUS_SUCCESS" for s in g["sessions"])]
    configurations = collections.Counter(json.dumps(g["hparams"], sort_keys=True) for g in successful)
    others = [g for g in groups if g not in successful]
    statuses = collections.Counter(s["status"] for g in others for s in g["sessions"])
    unended = sum(1 for g in groups for s in g["sessions"] if not s.get("endTimeSecs"))
    print(json.dumps({
        "groups": len(groups),
        "successful_groups_of_%d" % folds: len(successful),
        "configurations_twice_among_successful": sum(1 for n in configurations.values() if n > 1),
        "other_groups": len(others),
        "other_groups_session_statuses": dict(statuses),
        "sessions_without_an_end": unended,
        "backend_warnings": len(document.get("backend_warnings") or []),
    }, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
