#!/usr/bin/env bash
# examples/DistributedStudy with 4 workers racing for the last trials of a 300-trial study, RUNS
# times on one storage: how many trials each run completed (MaxTrials must hold exactly: 300).
# docs/benchmarks.md has the runs.
#   bash tests/HParamsNet.FaultInjection/exact-limits.sh STORAGE_URL [RUNS]
# Build first: dotnet build -c Release. A PostgreSQL URL takes ?schema=NAME to keep runs apart.
set -euo pipefail
cd "$(dirname "$0")/../.."
url=$1 runs=${2:-20}
dll=examples/DistributedStudy/bin/Release/net10.0/DistributedStudy.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exact=0
for run in $(seq 1 "$runs"); do
  study="limits-$(date +%s%N)"
  line=$(HPARAMSNET_STORAGE_URL="$url" dotnet "$dll" --study "$study" --workers 4 --trials 300 --trial-ms 0 \
    --logdir "$work/$study" 2>&1 | grep -E '^[0-9]+ trials: ' || echo "no summary (the launcher failed)")
  complete=$(sed -nE 's/^[0-9]+ trials: ([0-9]+) complete.*/\1/p' <<<"$line")
  [ "$complete" = 300 ] && exact=$((exact + 1))
  echo "run $run: $line"
  rm -rf "${work:?}/$study"
done
echo "$exact of $runs runs completed exactly 300 trials"
[ "$exact" -eq "$runs" ]
