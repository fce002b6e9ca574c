# shellcheck shell=bash
# Debian's Chromium for the browser tests: sourced by scripts/test.sh.
#
#   browser_ensure_installed   install `chromium` and `fonts-noto-core` (Khmer names) if missing;
#                              exports XFACTOR_CHROMIUM
#
# Playwright drives this browser through its bundled driver; it never downloads one.

_browser_log() { echo "[browser] $*" >&2; }

browser_ensure_installed() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # Noto Sans Khmer (in fonts-noto-core) renders contestants' Khmer names instead of boxes.
  dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
  if [[ ${#missing[@]} -gt 0 ]]; then
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
      if command -v sudo >/dev/null 2>&1; then
        sudo=(sudo)
      else
        _browser_log "${missing[*]} not installed and we are neither root nor have sudo"
        return 1
      fi
    fi
    _browser_log "installing Debian's ${missing[*]}"
    local attempt ok=""
    for attempt in 1 2 3; do
      if "${sudo[@]}" apt-get update -q >&2 &&
         "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
        ok=1
        break
      fi
      _browser_log "apt-get attempt $attempt failed; retrying"
      sleep $((attempt * 5))
    done
    [[ -n "$ok" ]] || { _browser_log "could not install ${missing[*]}"; return 1; }
  fi
  XFACTOR_CHROMIUM=$(command -v chromium)
  export XFACTOR_CHROMIUM
}
