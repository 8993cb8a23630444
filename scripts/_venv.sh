# Sourced by scripts/run, scripts/test and scripts/lock: make .venv and install badgeforge into
# it from the hashed lock files in requirements/ (reproducible: the same files on every
# machine), again only when a lock file or pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

pick_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "badgeforge needs Python 3.11 or newer (with venv); set PYTHON=/path/to/python3.11" >&2
  return 1
}

# ensure_venv LOCK: install requirements/LOCK (lock.txt or dev-lock.txt), then badgeforge.
ensure_venv() {
  local lock="$ROOT/requirements/$1" stamp="$VENV/.badgeforge-installed-$1"
  if [ ! -x "$VENV/bin/python" ]; then
    "$(pick_python)" -m venv "$VENV"
  fi
  local py="$VENV/bin/python"
  if ! "$py" "$ROOT/scripts/lockfile.py" check; then
    echo "pyproject.toml's dependencies changed but the lock files were not regenerated." >&2
    exit 1
  fi
  local want; want="$("$py" -c 'import hashlib, sys
print(hashlib.sha256(b"".join(open(p, "rb").read() for p in sys.argv[1:])).hexdigest())' \
    "$lock" "$ROOT/pyproject.toml")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing badgeforge and its locked dependencies ($1) into .venv ..." >&2
    local pip=("$py" -m pip --disable-pip-version-check)
    "${pip[@]}" install --quiet --require-hashes --no-deps -r "$lock"
    "${pip[@]}" install --quiet --no-deps --no-build-isolation -e "$ROOT"
    echo "$want" > "$stamp"
  fi
}
