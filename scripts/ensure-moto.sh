#!/usr/bin/env bash
# Prints the path of a python3 that can run the pinned moto server, installing it if needed.
# Order: an explicit RAMPART_MOTO_PYTHON, the system python3 when it already has the pin,
# then a project-local venv (.venv-moto, ignored by git) that we create and fill from PyPI.
set -euo pipefail
MOTO_VERSION="5.2.1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-moto"

has_pin() {
  "$1" - "$MOTO_VERSION" >/dev/null 2>&1 <<'PY'
import sys
from importlib.metadata import version
assert version("moto") == sys.argv[1]
import flask, flask_cors  # the [server] extra
PY
}

if [ -n "${RAMPART_MOTO_PYTHON:-}" ] && has_pin "$RAMPART_MOTO_PYTHON"; then
  echo "$RAMPART_MOTO_PYTHON"; exit 0
fi
if [ -x "$venv/bin/python" ] && has_pin "$venv/bin/python"; then
  echo "$venv/bin/python"; exit 0
fi
if command -v python3 >/dev/null 2>&1 && has_pin "$(command -v python3)"; then
  command -v python3; exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "ensure-moto: python3 is required to run the moto AWS emulator" >&2; exit 1; }
echo "ensure-moto: installing moto[server]==$MOTO_VERSION into $venv" >&2
python3 -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
has_pin "$venv/bin/python" || { echo "ensure-moto: moto $MOTO_VERSION still not importable from $venv" >&2; exit 1; }
echo "$venv/bin/python"
