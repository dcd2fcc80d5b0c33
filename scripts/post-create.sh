#!/usr/bin/env bash
# Prepares a machine for the course: the devcontainers run it once after creating the container
# (postCreateCommand); on a laptop or a fresh Debian/Ubuntu machine run it by hand. Safe to run again.
#   1. restores and builds the solution (the library notebooks load from lib/SslCourse/bin/, the ssl-course command)
#      and links SkiaSharp's native library where the tool kernels look for it
#   2. installs the .NET Interactive Jupyter kernel (Microsoft.dotnet-interactive) and dotnet-repl as global tools:
#      the notebook front ends that do not need the deprecated Polyglot Notebooks extension
#   3. installs Jupyter (nbconvert, nbclient) from the distribution where it can (root or password-less sudo)
#   4. ends with scripts/self-check.sh (the welcome notebook in the smoke budget)
# Options: --skip-build, --skip-tools, --skip-jupyter, --skip-check. The backend follows SSL_COURSE_BACKEND (cpu|cuda).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH="$PATH:$HOME/.dotnet/tools"

# Versions seen working on .NET 10 (November 2026); the tools are deprecated upstream but still install and run.
INTERACTIVE_VERSION=1.0.712001
REPL_VERSION=0.3.259

build=1 tools=1 jupyter=1 check=1
for arg in "$@"; do
  case "$arg" in
    --skip-build) build=0 ;;
    --skip-tools) tools=0 ;;
    --skip-jupyter) jupyter=0 ;;
    --skip-check) check=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "post-create: unknown option '$arg'; expected --skip-build, --skip-tools, --skip-jupyter or --skip-check." >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

if [[ $build -eq 1 ]]; then
  step "build (backend ${SSL_COURSE_BACKEND:-cpu})"
  dotnet build SslCourse.sln -nologo -v quiet
fi

# The Jupyter kernel and dotnet-repl load SkiaSharp (charts, captions) by #r, and .NET then looks for its native
# library next to SkiaSharp.dll, not under runtimes/<rid>/native/ as our own hosts do: link it there.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64) rid=linux-arm64 ;;
  *) rid="" ;;
esac
if [[ -n "$rid" ]]; then
  for lib in libSkiaSharp.so libHarfBuzzSharp.so; do
    if [[ -f "lib/SslCourse/bin/runtimes/$rid/native/$lib" && ! -e "lib/SslCourse/bin/$lib" ]]; then
      ln -s "runtimes/$rid/native/$lib" "lib/SslCourse/bin/$lib"
      echo "linked lib/SslCourse/bin/$lib -> runtimes/$rid/native/$lib (for the Jupyter kernel and dotnet-repl)"
    fi
  done
fi

if [[ $tools -eq 1 ]]; then
  step "notebook tools: Microsoft.dotnet-interactive $INTERACTIVE_VERSION (Jupyter kernel), dotnet-repl $REPL_VERSION"
  # make the tools reachable in later shells too (once)
  for rc in "$HOME/.bashrc" "$HOME/.profile"; do
    if [[ -f "$rc" || "$rc" == "$HOME/.bashrc" ]] && ! grep -qs 'ssl-course: dotnet tools' "$rc"; then
      printf '\nexport PATH="$PATH:$HOME/.dotnet/tools"  # ssl-course: dotnet tools\n' >> "$rc"
    fi
  done
  install_tool() { # id version
    local have
    have="$(dotnet tool list -g | awk -v id="$1" 'tolower($1) == tolower(id) { print $2 }')"
    if [[ "$have" == "$2" ]]; then echo "$1 $2 already installed"
    elif [[ -n "$have" ]]; then dotnet tool update -g "$1" --version "$2" --allow-downgrade
    else dotnet tool install -g "$1" --version "$2"; fi
  }
  install_tool Microsoft.dotnet-interactive "$INTERACTIVE_VERSION"
  install_tool dotnet-repl "$REPL_VERSION"
fi

if [[ $jupyter -eq 1 ]]; then
  step "Jupyter (nbconvert, nbclient) and the .NET kernel"
  if ! command -v jupyter >/dev/null 2>&1 || ! jupyter nbconvert --version >/dev/null 2>&1; then
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
    fi
    if [[ "$sudo" != "none" ]] && command -v apt-get >/dev/null 2>&1; then
      $sudo apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq jupyter-nbconvert python3-nbclient jupyter-core jupyter-client
    else
      echo "note: Jupyter is not installed and this script cannot install it here (needs apt-get as root or password-less sudo);"
      echo "      the course runner and dotnet-repl do not need it. To add it: apt-get install jupyter-nbconvert python3-nbclient"
    fi
  else
    echo "jupyter already installed"
  fi
  if command -v jupyter >/dev/null 2>&1 && command -v dotnet-interactive >/dev/null 2>&1; then
    dotnet interactive jupyter install
    # the kernel's HTTP services listen on every interface by default: keep them on this machine
    kernel_json="${JUPYTER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}/kernels/.net-csharp/kernel.json"
    if [[ -f "$kernel_json" ]] && ! grep -q -- '--http-local-only' "$kernel_json"; then
      python3 - "$kernel_json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["argv"].append("--http-local-only")
json.dump(spec, open(path, "w"), indent=2)
PY
      echo "kernel .net-csharp: HTTP services on local interfaces only (--http-local-only)"
    fi
  elif command -v dotnet-interactive >/dev/null 2>&1; then
    echo "note: no jupyter command, so the .NET kernel was not registered (run 'dotnet interactive jupyter install' after installing Jupyter)"
  fi
fi

step "bubblewrap (the sandbox ssl-course grade runs every submission in)"
if ! command -v bwrap >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then scripts/install-test-tools.sh bwrap || true
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n scripts/install-test-tools.sh bwrap || true
  else echo "note: bubblewrap is not installed (needs apt-get as root): apt-get install bubblewrap; 'ssl-course grade' refuses to grade without it"; fi
fi
if command -v bwrap >/dev/null 2>&1 && ! bwrap --unshare-all --die-with-parent --ro-bind / / --proc /proc --dev /dev /bin/true 2>/dev/null; then
  echo "note: bwrap cannot create a sandbox here as $(id -un) (user namespaces restricted: Ubuntu 24.04's AppArmor, or a container's seccomp);"
  echo "      see docs/grading.md, 'Requirements'. Grading as root works; 'ssl-course grade --no-sandbox' grades without isolation."
fi

if [[ $check -eq 1 ]]; then
  step "self-check"
  "$root/scripts/self-check.sh"
fi
