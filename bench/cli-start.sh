#!/usr/bin/env bash
# How long a `bga` command takes against `node -e 0`, side by side in one run (alternating, so
# a busy machine slows both alike). With a case ID, `bga status <caseId>` is timed too; it needs
# a running stack (`npm start`) and the same environment as that stack (BGA_DATA_DIR, the ports),
# and then times the answer of the stack's API, or of the one BGA_API_URL names (README, CLI).
#   bench/cli-start.sh [caseId]        N=15 by default
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-15}
CASE=${1:-}
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
for _ in $(seq "$N"); do
  echo "node-e-0 $(ms node -e 0)"
  echo "bga-help $(ms node bin/bga.js --help)"
  if [ -n "$CASE" ]; then echo "bga-status $(ms node bin/bga.js status "$CASE")"; fi
done | sort -k1,1 -k2,2n | awk '
  { v[$1] = v[$1] " " $2 }
  END {
    split(v["node-e-0"], base, " "); n = length(base); ref = base[int((n + 1) / 2)]
    for (k in v) { m = split(v[k], x, " "); med = x[int((m + 1) / 2)]; printf "%-11s median %5d ms  (%.1f x node -e 0, n=%d)\n", k, med, med / ref, m }
  }'
