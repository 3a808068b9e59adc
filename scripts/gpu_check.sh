#!/usr/bin/env bash
# The full-scale report on a GPU machine in one command (issue 17). Run from the repository root there, with .gpu/
# made here by scripts/gpu_bundle.sh:
#     bash scripts/gpu_check.sh OUT [LIMIT_S=560] [GPU_SLOTS=1] [TARGET...]
# It installs what the machine lacks from .gpu/, runs config.yaml's whole DAG from an empty results/ under a
# wall-clock timer (GPU_SLOTS: how many gpu=1 jobs may share the card), then benchmarks/*.py on CUDA while time is
# left, and writes to OUT: report.pdf, facts.tar.gz (every facts.json and summary, the CSVs, Snakemake's benchmark
# files and every job's log), figures.tar.gz (the figures, to rebuild the PDF elsewhere), dag.log, bench.jsonl
# (one JSON object per benchmark), bench.log, cuda_tests.log and env.txt. It stops by itself LIMIT_S seconds after it starts
# and keeps what finished. TARGETs (Snakemake targets) run part of the DAG instead of all of it: a second part, when
# the whole does not fit one command.
set -u
out=${1:?usage: scripts/gpu_check.sh OUT [LIMIT_S] [GPU_SLOTS] [TARGET...]}
limit=${2:-560}
slots=${3:-1}
targets=("${@:4}")
t0=$(date +%s)
left() { echo $(( limit - ($(date +%s) - t0) )); }
mkdir -p "$out"

pack() {  # what finished, whatever happened
  cp results/report.pdf "$out/" 2>/dev/null
  find results -name '*.json' -o -name '*.csv' -o -name '*.tsv' -o -path 'results/logs/*' -type f \
    | tar czf "$out/facts.tar.gz" -T - 2>/dev/null
  find results -name '*.png' -o -name '*.svg' | tar czf "$out/figures.tar.gz" -T - 2>/dev/null
  ls -la "$out"
}
trap pack EXIT

# 1. what the machine lacks: the project's other packages (wheels), WeasyPrint's libraries where missing, a font
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .gpu/whl/*.whl || exit 1
mkdir -p /tmp/site/bin /tmp/gpulib
command -v python >/dev/null || ln -sf "$(command -v python3)" /tmp/site/bin/python
for lib in .gpu/lib/*; do
  ldconfig -p | grep -q "$(basename "$lib") " || ln -sf "$PWD/$lib" /tmp/gpulib/
done
export PYTHONPATH=/tmp/site:$PWD/src PATH=/tmp/site/bin:$PATH LD_LIBRARY_PATH=/tmp/gpulib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export FONTCONFIG_FILE=$PWD/.gpu/fonts.conf PYTHONUNBUFFERED=1
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  python3 -c 'import torch, snakemake, weasyprint; print("torch", torch.__version__, torch.cuda.get_device_name(0),
"| snakemake", snakemake.__version__, "| weasyprint", weasyprint.__version__)'
  echo "linked from .gpu/lib: $(ls /tmp/gpulib | tr '\n' ' ')"
  nproc; free -g | head -2
} >"$out/env.txt" 2>&1
cat "$out/env.txt"

# 2. the whole config.yaml DAG from an empty results/, leaving ~100 s for the benchmarks and packing
rm -rf results .snakemake
dag_start=$(date +%s)
timeout --signal=INT $(( $(left) - 100 )) python3 -m snakemake "${targets[@]}" --cores "$(nproc)" \
  --resources gpu="$slots" --keep-going --printshellcmds >"$out/dag.log" 2>&1
rc=$?
echo "dag: exit $rc, wall $(( $(date +%s) - dag_start )) s, gpu slots $slots" | tee -a "$out/dag.log"
python3 benchmarks/dag.py --existing results/benchmarks >>"$out/bench.jsonl" 2>>"$out/bench.log"

# 3. the tests that only run on CUDA (no host syncs between log steps; the grouped call on cuDNN)
timeout 120 python3 -m pytest -q -p no:cacheprovider tests/train/test_gan.py tests/train/test_stack.py -k cuda \
  >"$out/cuda_tests.log" 2>&1
echo "cuda tests: exit $?" | tee -a "$out/cuda_tests.log"

# 4. the benchmarks on CUDA, most wanted first, each only while time is left
bench() {  # bench SECONDS_NEEDED script args...
  local need=$1; shift
  if [ "$(left)" -gt "$((need + 15))" ]; then
    timeout "$(( $(left) - 15 ))" python3 "benchmarks/$@" >>"$out/bench.jsonl" 2>>"$out/bench.log" \
      || echo "benchmarks/$* failed or timed out" >>"$out/bench.log"
  else
    echo "skipped benchmarks/$* ($(left) s left)" >>"$out/bench.log"
  fi
}
bench 90 sweep.py --steps 200 --seeds 3 --vmap  # the issue's 18-run sweep: serial vs stacked (grouped, vmap)
bench 40 conv_gan_28.py --steps 2000
bench 30 mlp_gan.py --steps 2000
bench 40 latent.py --size 28
bench 60 conv_gan_64.py --steps 1000
bench 40 latent.py --size 64
bench 60 sweep.py --steps 100 --seeds 3 --size 64
bench 90 sweep.py --steps 50 --seeds 3 --vmap --profile   # what bounds each side, in device time
echo "gpu_check: done in $(( $(date +%s) - t0 )) s"
