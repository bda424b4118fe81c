#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the test that submits a sharded experiment as a real job array:
#   bash scripts/slurm-local.sh start    install nothing; write the config, start munged, slurmctld and slurmd; wait until idle
#   bash scripts/slurm-local.sh stop     stop the daemons this script started
#   bash scripts/slurm-local.sh status   sinfo, or say it is not running
# Needs root and Debian's slurmctld, slurmd, slurm-client and munge (.ci/run installs them). The node has CPUs=2, no
# cgroups (proctrack/linuxproc, task/none) and no accounting, so it runs in a container as well as on a VM. State,
# logs and pid files live in $LOGREG_SLURM_DIR (default /tmp/logreg-slurm); the config is /etc/slurm/slurm.conf, where
# the Slurm commands look for it, and is only ever overwritten when this script wrote it.
set -euo pipefail
dir="${LOGREG_SLURM_DIR:-/tmp/logreg-slurm}"
conf=/etc/slurm/slurm.conf
marker="# written by logreg scripts/slurm-local.sh"
host="$(hostname -s)"

die() { echo "slurm-local: $*" >&2; exit 2; }

pid_alive() { local pid; pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

write_config() {
  if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
    die "$conf exists and was not written by this script: not touching a real cluster's configuration"
  fi
  mkdir -p "$dir/state" "$dir/spool" /etc/slurm
  local memory
  memory=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
  cat > "$conf.tmp" <<CONF
$marker
ClusterName=logreg
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$host CPUs=2 RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$conf.tmp" "$conf"
}

start_munge() {
  if pid_alive /run/munge/munged.pid; then
    return
  fi
  [ -f /etc/munge/munge.key ] || { mungekey --create >/dev/null 2>&1 || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  touch "$dir/started-munge"
}

start() {
  [ "$(id -u)" -eq 0 ] || die "needs root (it writes $conf and starts the daemons)"
  for program in slurmctld slurmd sinfo munged; do
    command -v "$program" >/dev/null || [ -x "/usr/sbin/$program" ] || die "$program not found: apt-get install slurmctld slurmd slurm-client munge"
  done
  if pid_alive "$dir/slurmctld.pid" && pid_alive "$dir/slurmd.pid"; then
    echo "slurm-local: already running"; sinfo; return
  fi
  write_config
  start_munge
  /usr/sbin/slurmctld -c   # -c: a fresh state, no jobs left from an earlier start
  /usr/sbin/slurmd
  for _ in $(seq 1 60); do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    if [ "$state" = "idle" ]; then
      echo "slurm-local: node $host idle (CPUs=2); logs in $dir"
      sinfo
      return
    fi
    if [ "$state" = "down" ] || [ "$state" = "drained" ]; then
      scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
    fi
    sleep 0.5
  done
  echo "slurm-local: the node did not become idle within 30 s; last state '${state:-none}'" >&2
  tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  stop
  exit 1
}

stop() {
  for daemon in slurmd slurmctld; do
    if pid_alive "$dir/$daemon.pid"; then
      kill "$(cat "$dir/$daemon.pid")"
      for _ in $(seq 1 50); do pid_alive "$dir/$daemon.pid" || break; sleep 0.1; done
    fi
    rm -f "$dir/$daemon.pid"
  done
  if [ -f "$dir/started-munge" ] && pid_alive /run/munge/munged.pid; then
    kill "$(cat /run/munge/munged.pid)"
    rm -f "$dir/started-munge"
  fi
  echo "slurm-local: stopped"
}

status() {
  if pid_alive "$dir/slurmctld.pid" && pid_alive "$dir/slurmd.pid"; then
    sinfo
  else
    echo "slurm-local: not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
