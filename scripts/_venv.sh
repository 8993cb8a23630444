# Sourced by scripts/run and scripts/test: make .venv and install badgeforge into it,
# again only when pyproject.toml changed since the last install.
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

ensure_venv() {
  local extras="$1" stamp="$VENV/.badgeforge-installed-$1"
  if [ ! -x "$VENV/bin/python" ]; then
    "$(pick_python)" -m venv "$VENV"
  fi
  local want; want="$("$VENV/bin/python" -c 'import hashlib, sys
print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$ROOT/pyproject.toml")"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing badgeforge and its dependencies into .venv ..." >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$extras"
    echo "$want" > "$stamp"
  fi
}
