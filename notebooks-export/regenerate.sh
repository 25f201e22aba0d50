#!/usr/bin/env bash
# Regenerates the worked analyses in notebooks-export/ from the example runs in data/:
#   fit-and-predict/  the default fit (a committee of four laws) on three runs, predicting five it never saw;
#   schedule-search/  seven schedules nobody ran, ranked by predicted final loss;
#   sweep-recommendation/  learning-rate and batch-size laws fitted to the simulated sweep
#                     data/sweep.csv, and what they recommend for two sizes it never ran.
# Each directory holds a notebook, its plots (SVG) and its data (CSV, fit.json). The output has no
# timestamps, so a regeneration matches the committed files byte for byte (the tests check this).
# Usage (from anywhere): bash notebooks-export/regenerate.sh [OUTPUT_DIR] [path/to/lossfit]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/notebooks-export}" && cd "${1:-$root/notebooks-export}" && pwd)"
lossfit="${2:-$root/.build/debug/lossfit}"
[ -x "$lossfit" ] || (cd "$root" && swift build --product lossfit)
cd "$root"  # log names in the output are relative to the project root

training=(data/cosine_20000.csv data/constant_20000.csv data/twostage_0.2.csv)
unseen=(data/cosine_40000.csv data/wsd_linear_20000.csv data/wsd_1-sqrt_20000.csv data/twostage_0.06.csv data/linear_20000.csv)
candidates=(
    "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
    "cosine:peak=0.6,end=0,warmup=200,total=20000"
    "linear:peak=0.6,end=0,warmup=200,total=20000"
    "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.1,shape=linear"
    "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt"
    "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.4,shape=cosine"
    "constant:peak=0.6,warmup=200,total=20000"
)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$lossfit" fit --no-baselines -o "$scratch/fit.json" "${training[@]}" > /dev/null 2>&1

rm -rf "$out/fit-and-predict" "$out/schedule-search" "$out/sweep-recommendation"
"$lossfit" export-notebook --fit "$scratch/fit.json" "${training[@]}" "${unseen[@]}" \
    --title "Fit the committee of laws to three runs and predict five unseen ones" \
    -o "$out/fit-and-predict/fit-and-predict.ipynb" 2> /dev/null
predict=()
for spec in "${candidates[@]}"; do predict+=(--predict "$spec"); done
"$lossfit" export-notebook --fit "$scratch/fit.json" "${training[@]}" "${predict[@]}" \
    --title "Search schedules nobody ran: seven 20k-step schedules ranked by predicted final loss" \
    -o "$out/schedule-search/schedule-search.ipynb" 2> /dev/null
"$lossfit" export-notebook --sweep data/sweep.csv --recommend-at 4000:262144 --recommend-at 8000:524288 \
    --title "Recommend the learning rate and batch size from a simulated sweep (data/sweep.csv)" \
    -o "$out/sweep-recommendation/sweep-recommendation.ipynb" 2> /dev/null
echo "regenerated $out/fit-and-predict, $out/schedule-search and $out/sweep-recommendation"
