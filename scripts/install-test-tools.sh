#!/usr/bin/env bash
# Installs the system tools some tests need, idempotently: scripts/install-test-tools.sh TOOL...
# Tools: chromium (Debian's chromium, for the site's browser test); bwrap (Debian/Ubuntu bubblewrap: the sandbox
# `ssl-course grade` runs every submission in).
# .ci/run calls it before `dotnet test`; a test fixture that finds its tool missing calls it once.
# Debian packages are installed with apt-get only when running as root (otherwise it says what to run).
set -euo pipefail

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
    *)
      echo "install-test-tools: unknown tool '$tool'" >&2
      status=2
      ;;
  esac
done
exit "$status"
