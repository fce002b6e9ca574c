# shellcheck shell=bash
# Helpers shared by the wrk benchmarks (vote-bench.sh, purchase-bench.sh); sourced, after the
# script has set BENCH_NAME (its name in messages).
#
#   log / die / whole / loadavg        messages, argument checks, the load average
#   stop_pid PID                       TERM, up to 15 s, then KILL: only processes we started
#   ensure_wrk                         Debian's wrk, installed when missing (as root)
#   wait_until WHAT PID SECONDS CMD... until CMD succeeds, while PID lives
#   wait_for_quiet MAX_LOAD SECONDS    until the 1-minute load average is below MAX_LOAD (0: no wait)
#   field KEY FILE                     a value of the RESULT line of a wrk output
#   build_release PROJECT... LOG       dotnet build -c Release of each project, output to LOG
#   tree_ticks PID                     CPU clock ticks (user + system) of PID and its descendants
#   cpu_per_vote WHAT T0 T1 VOTES      microseconds of CPU per vote between two tick counts

: "${BENCH_NAME:=bench}"

log() { echo "[$BENCH_NAME] $*"; }
die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
whole() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive whole number, not '$2'"; echo "$2"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Stops one process we started: TERM, up to 15 s for a clean shutdown, then KILL.
stop_pid() {
  local pid=$1 i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

ensure_wrk() {
  command -v wrk > /dev/null && return 0
  [[ $(id -u) -eq 0 ]] || die "wrk is not installed (Debian package wrk) and we are not root"
  log "installing Debian's wrk"
  apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk > /dev/null
}

# wait_until WHAT PID SECONDS COMMAND...: until the command succeeds; dies if the process
# exits or the time runs out.
wait_until() {
  local what=$1 pid=$2 seconds=$3 i
  shift 3
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" > /dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || die "$what exited"
    sleep 0.1
  done
  die "$what: not done within $seconds s"
}

# wait_for_quiet MAX_LOAD SECONDS: other work shares this machine; wait (at most SECONDS) until
# the 1-minute load average drops below MAX_LOAD. MAX_LOAD 0 means no wait. Never fails: the
# load average is printed with every measurement anyway.
wait_for_quiet() {
  local max=$1 seconds=$2 waited=0
  [[ "$max" == 0 ]] && return 0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$max" 'BEGIN { exit !(l >= m) }'; do
    ((waited >= seconds)) && { log "load average still $(loadavg) after $seconds s: measuring anyway"; return 0; }
    ((waited % 60 == 0)) && log "waiting for the 1-minute load average ($(loadavg)) to drop below $max"
    sleep 5
    waited=$((waited + 5))
  done
}

# field KEY FILE: a value of the RESULT line of a wrk output.
field() { grep '^RESULT ' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# build_release PROJECT... LOG: Release builds, warnings as errors (Directory.Build.props).
build_release() {
  local log_file=${!#} project
  for project in "${@:1:$#-1}"; do
    dotnet build "$project" -c Release -nologo -v q -p:UseSharedCompilation=false >> "$log_file" 2>&1 ||
      { tail -n 30 "$log_file" >&2; die "build of $project failed"; }
  done
}

# tree_ticks PID: user + system clock ticks used so far by PID and every process below it
# (a PostgreSQL postmaster and its backends; a server's threads count in its own line). 0 when
# PID is empty or gone.
tree_ticks() {
  local root=$1
  [[ -n "$root" && -r /proc/$root/stat ]] || { echo 0; return 0; }
  local pids=("$root") queue=("$root") p children
  while ((${#queue[@]})); do
    p=${queue[0]}
    queue=("${queue[@]:1}")
    children=$(cat /proc/"$p"/task/*/children 2>/dev/null || true)
    for c in $children; do pids+=("$c"); queue+=("$c"); done
  done
  local total=0 t
  for p in "${pids[@]}"; do
    # Fields after the ")" that closes the command name: utime is the 12th, stime the 13th.
    t=$(sed 's/^.*) //' /proc/"$p"/stat 2>/dev/null | awk '{ print $12 + $13 }') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# cpu_per_vote WHAT T0 T1 VOTES: "WHAT N us/vote", N the CPU microseconds per vote.
cpu_per_vote() {
  awk -v w="$1" -v a="$2" -v b="$3" -v n="$4" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s %.1f us/vote", w, (n > 0 ? (b - a) * 1e6 / hz / n : 0) }'
}
