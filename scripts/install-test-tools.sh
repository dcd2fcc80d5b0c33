#!/usr/bin/env bash
# Installs the system tools some tests need, idempotently: scripts/install-test-tools.sh TOOL...
#   chromium           Debian's chromium, for the site's browser test
#   bwrap              Debian/Ubuntu bubblewrap: the sandbox `ssl-course grade` runs every submission in
#   action-validator   @action-validator/cli (npm): validates GitHub Actions workflows against their schema
# .ci/run calls it before `dotnet test`; a test fixture that finds its tool missing calls it once.
# Debian packages are installed with apt-get only when running as root (otherwise it says what to run); npm packages
# go into the repository-local, git-ignored folder .tools/node.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-tools: not root; run as root: apt-get install -y $*" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "$@" >/dev/null; }
}

status=0
for tool in "$@"; do
  case "$tool" in
    chromium)
      command -v chromium >/dev/null 2>&1 || apt_install chromium || status=1
      ;;
    bwrap)
      command -v bwrap >/dev/null 2>&1 || apt_install bubblewrap || status=1
      ;;
    action-validator)
      bin="$root/.tools/node/node_modules/.bin/action-validator"
      if [ ! -x "$bin" ]; then
        command -v npm >/dev/null || apt_install nodejs npm || status=1
        npm install --prefix "$root/.tools/node" --no-audit --no-fund --loglevel=error "@action-validator/cli@0.6.0" || status=1
      fi
      [ -x "$bin" ] && echo "install-test-tools: action-validator at $bin"
      ;;
    *)
      echo "install-test-tools: unknown tool '$tool'" >&2
      status=2
      ;;
  esac
done
exit "$status"
