# shellcheck shell=bash
# Throwaway PostgreSQL cluster for tests: sourced by scripts/test.sh.
#
#   pg_ensure_installed   install Debian's `postgresql` if no server binaries exist
#   pg_start_throwaway    initdb + start on 127.0.0.1:<free port>; sets PG_PORT, PG_BIN, PG_TMP
#                         (XFACTOR_PG_CONF, if set, is appended to its postgresql.conf: extra
#                         settings, one per line; tools/bench/vote-bench.sh --pg-statements sets it)
#   pg_stop_throwaway     stop it and remove its directory (quiet, idempotent)
#
# Never touches the distro's own cluster or service.

PG_TMP=""
PG_PORT=""
PG_BIN=""
_PG_POLICY_RC_CREATED=""

_pg_log() { echo "[postgres] $*" >&2; }

# Highest installed server version's bin dir, or nothing.
_pg_find_bin() {
  local initdb
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  [[ -n "$initdb" && -x "$initdb" ]] && dirname "$initdb"
  return 0
}

_pg_remove_policy_rc() {
  if [[ -n "$_PG_POLICY_RC_CREATED" ]]; then
    rm -f /usr/sbin/policy-rc.d
    _PG_POLICY_RC_CREATED=""
  fi
}

pg_ensure_installed() {
  PG_BIN=$(_pg_find_bin)
  if [[ -n "$PG_BIN" ]]; then
    return 0
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      _pg_log "PostgreSQL is not installed and we are neither root nor have sudo"
      return 1
    fi
  fi
  _pg_log "server binaries not found: installing Debian's postgresql package"
  # Keep the package's post-install from starting the distro cluster as a service
  # (only when we are root and nothing already sets a policy).
  if [[ $(id -u) -eq 0 && ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    _PG_POLICY_RC_CREATED=1
  fi
  local attempt ok=""
  for attempt in 1 2 3; do
    if "${sudo[@]}" apt-get update -q >&2 &&
       "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; then
      ok=1
      break
    fi
    _pg_log "apt-get attempt $attempt failed; retrying"
    sleep $((attempt * 5))
  done
  _pg_remove_policy_rc
  [[ -n "$ok" ]] || { _pg_log "could not install postgresql"; return 1; }
  PG_BIN=$(_pg_find_bin)
  [[ -n "$PG_BIN" ]] || { _pg_log "postgresql installed but no initdb under /usr/lib/postgresql"; return 1; }
}

# Run a command as the cluster owner: postgres when we are root (initdb refuses root),
# else ourselves. Runs from the cluster dir so a root-only cwd does not bother postgres.
_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
      (cd "$PG_TMP" && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    fi
  else
    (cd "$PG_TMP" && "$@")
  fi
}

# True if some TCP socket (v4 or v6, any state) already uses this local port.
_pg_port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p=":$hex" 'NR > 1 { n = split($2, a, ":"); if (":" a[n] == p) { found = 1 } } END { exit !found }'
}

_pg_free_port() {
  local p
  for ((p = $1; p < $1 + 1000; p++)); do
    if ! _pg_port_in_use "$p"; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

pg_start_throwaway() {
  [[ -n "$PG_BIN" ]] || PG_BIN=$(_pg_find_bin)
  PG_TMP=$(mktemp -d /tmp/xfactor-pg.XXXXXX)
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$PG_TMP"
  fi
  chmod 700 "$PG_TMP"

  _pg_as_owner "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 --no-locale \
    > "$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log" >&2; return 1; }

  cat >> "$PG_TMP/data/postgresql.conf" <<CONF

# throwaway test cluster (scripts/lib/postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP'
max_connections = 300
fsync = on
shared_buffers = 256MB
CONF
  # A caller's extra settings (e.g. tools/bench/vote-bench.sh --pg-statements), one per line.
  [[ -z "${XFACTOR_PG_CONF-}" ]] || printf '%s\n' "$XFACTOR_PG_CONF" >> "$PG_TMP/data/postgresql.conf"

  # Pick a free port; if another process grabs it first, the start fails and we try the next.
  local start=${XFACTOR_PG_PORT_START:-55432} attempt
  for attempt in 1 2 3 4 5; do
    PG_PORT=$(_pg_free_port "$start") || { _pg_log "no free port from $start"; return 1; }
    if _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/pg.log" -w -t 60 \
         -o "-p $PG_PORT" start > /dev/null 2>&1; then
      break
    fi
    _pg_log "start on port $PG_PORT failed (attempt $attempt):"
    tail -n 5 "$PG_TMP/pg.log" >&2 || true
    PG_PORT=""
    start=$((start + 1 + RANDOM % 50))
  done
  [[ -n "$PG_PORT" ]] || { _pg_log "could not start PostgreSQL"; return 1; }

  local i
  for ((i = 0; i < 60; i++)); do
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; then
      return 0
    fi
    sleep 0.5
  done
  _pg_log "server did not become ready on port $PG_PORT"
  tail -n 20 "$PG_TMP/pg.log" >&2 || true
  return 1
}

pg_stop_throwaway() {
  _pg_remove_policy_rc
  [[ -n "$PG_TMP" ]] || return 0
  if [[ -f "$PG_TMP/data/postmaster.pid" ]]; then
    if ! _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w -t 30 stop > /dev/null 2>&1; then
      _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w -t 30 stop > /dev/null 2>&1 || true
    fi
    # Last resort: kill the postmaster (and so its children) if it is still there.
    if [[ -f "$PG_TMP/data/postmaster.pid" ]]; then
      local pid
      pid=$(head -n 1 "$PG_TMP/data/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]]; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf "$PG_TMP"
  PG_TMP=""
}
