#!/usr/bin/env bash
# Trains the matched-budget checkpoints of data/checkpoints/ (*-matched.pt): every method the course teaches on both
# datasets (colorization on the colour set only: Fashion-MNIST has no colour), with the same encoder (ConvNet width 0.5),
# batch (128) and the same wall budget, 3 minutes of the quiet 2-core reference machine (2 threads).
#
# The budget is a step count per method and dataset, so that a rerun reproduces the checkpoint whatever the machine's
# load: steps = 180 s / the method's median step time, measured with `ssl-course bench --only methods` (three runs on a
# quiet machine on 2026-12-06, median of the three medians, in ms):
#   toy:    supervised 48, rotation 203, colorization 115, context 30, jigsaw 106, simclr 133, moco 118, byol 165, simsiam 138
#   fmnist: supervised 34, rotation 114, context 25, jigsaw 96, simclr 62, moco 55, byol 92, simsiam 64
# The lever of the bench's +10 goal, a wider encoder, in the same budget: SimCLR at width 1.0 (*-wide-matched.pt); its step
# counts scale SimCLR's by the measured step-time ratio of width 1.0 to 0.5 (40-step runs: toy 2.18x, fmnist 2.49x).
# The lever of stronger views, in the same budget: SimCLR with SimCLR's ImageNet views (--views strong, *-strong-matched.pt);
# its step counts scale SimCLR's by the measured step-time ratio of strong to default views (two alternated 60-step
# runs each: toy 1.03x, fmnist 1.42x: the grayscale recipe adds a blur).
# The step format (the last column; fp32 where none is given), by the bench's adoption rule applied to each run: channels-last
# where its step is at least 1.3x faster than fp32's, from `ssl-course bench --only methods`, which times each run in both
# formats one after the other (quiet machine, 2026-12-06; median ratio of six runs on the colour set, of three on
# Fashion-MNIST, whose one-channel images only run in channels-last since StepFormats.Prepare's fix of that day). A run in
# channels-last gets its fp32 step count above times that ratio, which keeps its 3 minutes. Adopted:
#   toy:    supervised 1.55x, simclr 1.405x, moco 1.40x, byol 1.43x
#   fmnist: supervised 1.61x, simclr 1.78x, moco 1.70x, byol 1.81x, simsiam 1.55x, simclr width 1.0 1.47x
# Not adopted (below 1.3x): toy simsiam 1.26x, rotation 1.12x, colorization 1.045x, jigsaw 1.02x, context 0.925x, simclr width
# 1.0 1.215x, simclr strong views 1.295x; fmnist rotation 1.14x, jigsaw 1.02x, context 0.94x, simclr strong views 1.15x.
# Usage: scripts/pretrain-matched.sh [OUT_DIR]   (default data/checkpoints; one method at a time, about an hour)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-data/checkpoints}"
dotnet build lib/SslCourse.Cli -nologo -v q
cli="dotnet lib/SslCourse.Cli/bin/Debug/net10.0/ssl-course.dll"
while read -r method dataset steps width tag views format; do
  echo "== $method on $dataset: $steps steps, width ${width:-0.5}, ${views:-default} views, ${format:-fp32}"
  $cli pretrain "$method" --dataset "$dataset" --steps "$steps" --width "${width:-0.5}" --views "${views:-default}" --format "${format:-fp32}" --batch 128 --tag "${tag:-matched}" --out "$out" --quiet
done <<'TABLE'
supervised toy 5812 0.5 matched default channels-last
rotation toy 887
colorization toy 1565
context toy 6000
jigsaw toy 1698
simclr toy 1901 0.5 matched default channels-last
moco toy 2135 0.5 matched default channels-last
byol toy 1560 0.5 matched default channels-last
simsiam toy 1304
supervised fmnist 8523 0.5 matched default channels-last
rotation fmnist 1579
context fmnist 7200
jigsaw fmnist 1875
simclr fmnist 5167 0.5 matched default channels-last
moco fmnist 5564 0.5 matched default channels-last
byol fmnist 3542 0.5 matched default channels-last
simsiam fmnist 4360 0.5 matched default channels-last
simclr toy 621 1 wide-matched
simclr fmnist 1714 1 wide-matched default channels-last
simclr toy 1314 0.5 strong-matched strong
simclr fmnist 2044 0.5 strong-matched strong
TABLE
