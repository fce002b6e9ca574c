# shellcheck shell=bash
# Node.js and npm for the build: sourced by scripts/test.sh (and so by CI's .ci/run).
#
#   node_ensure_installed   install Debian's nodejs and npm if `node` or `npm` is missing
#
# Voting.Server's build runs `npm ci` in src/Voting.Server/WebApp (uPlot for /console) and
# tools/api-lint uses npm too; both need them on the PATH before the first `dotnet build`.

_node_log() { echo "[node] $*" >&2; }

node_ensure_installed() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return 0
  fi
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      _node_log "node/npm not installed and we are neither root nor have sudo"
      return 1
    fi
  fi
  _node_log "installing Debian's nodejs and npm"
  local attempt
  for attempt in 1 2 3; do
    if "${sudo[@]}" apt-get update -q >&2 &&
       "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm >&2; then
      return 0
    fi
    _node_log "apt-get attempt $attempt failed; retrying"
    sleep $((attempt * 5))
  done
  _node_log "could not install nodejs and npm"
  return 1
}
