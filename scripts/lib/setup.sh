# Shared set-up for scripts/demo.sh and scripts/test.sh (sourced, not run).
# Installs what Sanyi needs on a fresh Debian machine: system packages when missing (as
# root, or through sudo when available), a virtualenv in .venv, and the Python packages
# from pyproject.toml.

SANYI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${SANYI_VENV:-$SANYI_ROOT/.venv}"
PY="$VENV/bin/python"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  # apt_install PKG... : install the Debian packages that are not installed yet.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "Not a Debian system: please install ${missing[*]} yourself"
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      log "Missing system packages: ${missing[*]} (run as root to install them)"; return 1
    fi
  fi
  log "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_system_packages() {
  # PDF rendering (WeasyPrint: Pango, HarfBuzz) and Chinese fonts for PDFs and pages.
  local pkgs=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
  if [ "${1:-}" = "test" ]; then
    pkgs+=(chromium)  # browser tests drive the system Chromium
  fi
  if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
    pkgs+=(python3-venv)
  fi
  apt_install "${pkgs[@]}"
}

ensure_venv() {
  if [ ! -x "$PY" ]; then
    log "Creating the virtualenv in $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.sanyi-installed"
  if [ ! -f "$stamp" ] || [ "$SANYI_ROOT/pyproject.toml" -nt "$stamp" ]; then
    log "Installing Python packages from pyproject.toml"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -e "$SANYI_ROOT[test]"
    touch "$stamp"
  fi
}
