#!/usr/bin/env bash
# Self-check of a course machine (devcontainer or laptop): the .NET 10 SDK, the built library, and one notebook run
# end to end by the course's own runner in the smoke budget. Tools for the other front ends (the .NET Jupyter
# kernel, dotnet-repl) are reported, not required.
#
#   scripts/self-check.sh [NOTEBOOK.ipynb | FOLDER]     default: notebooks/00-welcome.ipynb
#
# Exit codes: 0 the check passed (or the default welcome notebook is not in this checkout yet: said clearly),
# 1 the notebook failed, 2 the machine is not ready (no SDK, library not built, a given path does not exist).
# SSL_COURSE_CLI overrides how `ssl-course` is started (default: dotnet run --project lib/SslCourse.Cli --).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ok()   { printf '  ok    %s\n' "$*"; }
warn() { printf '  note  %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; }

echo "self-check: $root"
if ! command -v dotnet >/dev/null 2>&1; then
  fail "dotnet not found: install the .NET 10 SDK (https://dot.net) or open the devcontainer."
  exit 2
fi
sdk="$(dotnet --version 2>/dev/null || true)"
if [[ "$sdk" != 10.* && "$sdk" != 1[1-9].* ]]; then
  fail "the .NET SDK is '${sdk:-missing}', the course needs 10.0 or later."
  exit 2
fi
ok ".NET SDK $sdk"

if [[ ! -f lib/SslCourse/bin/SslCourse.dll || ! -f lib/SslCourse/bin/TorchSharp.dll ]]; then
  fail "lib/SslCourse/bin/SslCourse.dll is missing: build the library first (dotnet build lib/SslCourse)."
  exit 2
fi
ok "library built: lib/SslCourse/bin/SslCourse.dll (backend ${SSL_COURSE_BACKEND:-cpu}${SSL_COURSE_DEVICE:+, device $SSL_COURSE_DEVICE})"

if [[ "$(uname -s)" == Linux && ! -e lib/SslCourse/bin/libSkiaSharp.so ]] && compgen -G 'lib/SslCourse/bin/runtimes/linux-*/native/libSkiaSharp.so' >/dev/null; then
  warn "charts and captions will fail under the Jupyter kernel and dotnet-repl (libSkiaSharp.so not found by them): run scripts/post-create.sh --skip-build --skip-tools --skip-jupyter --skip-check"
fi

export PATH="$PATH:$HOME/.dotnet/tools"
if command -v dotnet-repl >/dev/null 2>&1; then ok "dotnet-repl $(dotnet-repl --version 2>/dev/null | head -n 1)"; else warn "dotnet-repl not installed (optional: dotnet tool install -g dotnet-repl --version 0.3.259)"; fi
kernels="${JUPYTER_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/jupyter}/kernels/.net-csharp"
if [[ -f "$kernels/kernel.json" ]]; then ok "Jupyter kernel .net-csharp ($kernels)"; else warn "the .NET Jupyter kernel is not installed (optional: scripts/post-create.sh installs it)"; fi
if command -v jupyter-nbconvert >/dev/null 2>&1; then ok "jupyter nbconvert ($(command -v jupyter-nbconvert))"; else warn "jupyter nbconvert not installed (optional: only the Jupyter front end needs it)"; fi

target="${1:-}"
if [[ -z "$target" ]]; then
  target="notebooks/00-welcome.ipynb"
  if [[ ! -f "$target" ]]; then
    warn "$target is not in this checkout yet, so no notebook was run; the SDK and the library are ready."
    echo "self-check: PASSED (without a notebook run)"
    exit 0
  fi
elif [[ ! -e "$target" ]]; then
  fail "$target: no such notebook or folder."
  exit 2
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if [[ -n "${SSL_COURSE_CLI:-}" ]]; then read -r -a cli <<<"$SSL_COURSE_CLI"; else cli=(dotnet run --project lib/SslCourse.Cli --); fi
echo "running $target in the smoke budget: ${cli[*]} run $target --budget smoke"
"${cli[@]}" run "$target" --budget smoke --out "$out"
rc=$?
if [[ $rc -eq 0 ]]; then
  echo "self-check: PASSED"
else
  fail "$target did not run (exit code $rc); the table above names the failing cell. See docs/student-guide.md, Troubleshooting."
  echo "self-check: FAILED"
  [[ $rc -eq 2 ]] || rc=1
fi
exit $rc
