#!/usr/bin/env bash
# Prove the SLURM profile on a real one-node SLURM cluster on localhost: install Debian's slurm-wlm and
# munge, start munged, slurmctld and slurmd by hand (no systemd), and run the test suite's smoke config
# through `--profile workflow/profiles/slurm`. Needs root and the project's .venv (make test creates it).
#   bash scripts/slurm_smoke.sh [WORKDIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/genlab-slurm.XXXX)}
export PATH="$repo/.venv/bin:$PATH"

command -v slurmctld >/dev/null || { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; }
python -c "import snakemake_executor_plugin_slurm" 2>/dev/null || pip install -q -e "$repo[slurm]"

# munge: the key, its folders, and the daemon as the munge user
mkdir -p /run/munge /var/lib/munge /var/log/munge /etc/munge
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- munged

# slurm: one node as `slurmd -C` describes it, one fake GPU so that gpu=1 rules are scheduled as --gpus=1
node=$(slurmd -C | head -1)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=genlab
SlurmctldHost=$(hostname -s)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
GresTypes=gpu
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ReturnToService=2
$node Gres=gpu:1 State=UNKNOWN
PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
echo "Name=gpu File=/dev/null" > /etc/slurm/gres.conf
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo

# the smoke config through the SLURM executor; without accounting, sacct would hang the status checks
start=$(date +%s)
snakemake -s "$repo/Snakefile" -d "$work" --configfile "$repo/tests/config/smoke.yaml" \
    --profile "$repo/workflow/profiles/slurm" --slurm-status-command squeue \
    --slurm-init-seconds-before-status-checks 5 --jobs 4
test -s "$work/results/report.pdf"
echo "slurm smoke run: $work/results/report.pdf after $(( $(date +%s) - start )) s"
