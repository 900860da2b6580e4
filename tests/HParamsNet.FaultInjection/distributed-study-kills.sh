#!/usr/bin/env bash
# examples/DistributedStudy with 4 workers, 300 trials of 3 folds, and worker processes killed
# with SIGKILL while it runs (the launcher starts replacements); then what the storage and the log
# directory hold. docs/reliability.md has the runs and the TensorBoard oracle's view of them.
#   bash tests/HParamsNet.FaultInjection/distributed-study-kills.sh STORAGE_URL LOGDIR [KILLS] [SEED]
# Build first: dotnet build -c Release
set -euo pipefail
cd "$(dirname "$0")/../.."
url=$1 logdir=$2 kills=${3:-3}
RANDOM=${4:-1}
dll=examples/DistributedStudy/bin/Release/net10.0/DistributedStudy.dll
cli=src/HParamsNet.Cli/bin/Release/net10.0/hparams.dll
study="kills-$(date +%s)"
dotnet "$dll" --storage "$url" --study "$study" --workers 4 --trials 300 --folds 3 --logdir "$logdir" \
  --trial-ms 30 --strategy random --heartbeat-s 1 > "$logdir.launcher.log" 2>&1 &
launcher=$!
for k in $(seq 1 "$kills"); do
  sleep "$((2 + RANDOM % 3))"
  victim=$(pgrep -f -- "--study $study .*--worker-index" | shuf -n 1 --random-source=<(yes "$RANDOM") || true)
  if [ -n "$victim" ]; then
    kill -9 "$victim" && echo "kill $k: worker pid $victim"
  fi
done
wait "$launcher"
tail -n 4 "$logdir.launcher.log"
dotnet "$cli" ls "$url#$study"
dotnet "$cli" validate "$logdir" | tail -n 3
echo "study: $study"
