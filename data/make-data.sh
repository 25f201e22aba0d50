#!/usr/bin/env bash
# Regenerates the example training logs in data/ with `lossfit simulate`: SGD on the solvable
# linear-regression model (M = 2000 features, spectrum i^-1.5, source 1.6, noise 0.5, batch 16),
# peak LR 0.6 with 200 warmup steps, one seed per run, loss averaged over each 100-step log interval.
# Usage (from the project root): bash data/make-data.sh [path/to/lossfit]
set -euo pipefail
cd "$(dirname "$0")/.."
lossfit=${1:-.build/release/lossfit}
[ -x "$lossfit" ] || swift build -c release --product lossfit

run() {  # name seed spec
    "$lossfit" simulate --schedule "$3" --seed "$2" --loss interval-mean --log-every 100 -o "data/$1.csv"
    echo "data/$1.csv  seed $2  $3"
}

# Fit on these three (the published protocol's shape: a cosine, a constant and a two-stage run) ...
run cosine_20000      1 "cosine:peak=0.6,end=0.06,warmup=200,total=20000"
run constant_20000    2 "constant:peak=0.6,warmup=200,total=20000"
run twostage_0.2      3 "two-stage:peak=0.6,warmup=200,switch=8000,second=0.2,total=16000"
# ... and predict these unseen schedules.
run cosine_40000      4 "cosine:peak=0.6,end=0.06,warmup=200,total=40000"
run wsd_linear_20000  5 "wsd:peak=0.6,end=0.06,warmup=200,total=20000,decay=4000,shape=linear"
run wsd_1-sqrt_20000  6 "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt"
run twostage_0.06     7 "two-stage:peak=0.6,warmup=200,switch=8000,second=0.06,total=16000"
run linear_20000      8 "linear:peak=0.6,end=0,warmup=200,total=20000"

# The hyperparameter sweep for lossfit sweep fit / recommend: SGD on the same model at
# M = 250, 500, 1000, 2000 features × D = 32768, 65536, 131072 examples × batch 2…64, each at
# the peak LRs √2^k from 1/16 to 1.5 × SGD's stability limit (warmup 2 %, cosine to 10 %).
"$lossfit" simulate --sweep --dimensions 250,500,1000,2000 --tokens 32768,65536,131072 --batch-sizes 2,4,8,16,32,64 \
    --lr-ratio 1.4142135623730951 --lr-low 0.0625 --lr-high 1.5 --seed 9 -o data/sweep.csv
echo "data/sweep.csv  seed 9  (every run)"
