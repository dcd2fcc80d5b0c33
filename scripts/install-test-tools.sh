#!/usr/bin/env bash
# Installs the system tools some tests need, idempotently: scripts/install-test-tools.sh TOOL...
# Each tool is installed only when missing. apt packages need root (run `apt-get update` first when a list is missing);
# npm packages go into the repository-local, git-ignored folder .tools/node.
#   action-validator   @action-validator/cli (npm): validates GitHub Actions workflows against their schema
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then echo "install-test-tools: $* needs root (apt-get install $*)" >&2; return 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; }
}

for tool in "$@"; do
  case "$tool" in
    action-validator)
      bin="$root/.tools/node/node_modules/.bin/action-validator"
      if [ ! -x "$bin" ]; then
        command -v npm >/dev/null || apt_install nodejs npm
        npm install --prefix "$root/.tools/node" --no-audit --no-fund --loglevel=error "@action-validator/cli@0.6.0"
      fi
      [ -x "$bin" ] && echo "install-test-tools: action-validator at $bin"
      ;;
    *)
      echo "install-test-tools: unknown tool '$tool'" >&2
      exit 2
      ;;
  esac
done
