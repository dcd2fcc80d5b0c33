#!/usr/bin/env bash
# Runs notebooks under every client the course supports and prints one table: the course's engine
# (ssl-course run), dotnet-repl, Jupyter (nbconvert with the .NET kernel), and the exported file-based app
# (ssl-course export --to cs, then dotnet run --file). A client that is not installed is reported as such.
#
#   scripts/check-clients.sh [NOTEBOOK.ipynb | FOLDER]...     default: notebooks/
#
# Budget: SSL_COURSE_BUDGET (default smoke). Outputs go to a temporary folder that is printed at the end.
# Exit code: 0 when every installed client ran every notebook, 1 otherwise.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$PATH:$HOME/.dotnet/tools" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export SSL_COURSE_BUDGET="${SSL_COURSE_BUDGET:-smoke}"
limit="${CLIENT_TIMEOUT:-900}"
out="$(mktemp -d)"

files=()
for arg in "${@:-$root/notebooks}"; do
  if [[ -d "$arg" ]]; then for f in "$arg"/*.ipynb; do [[ -f "$f" ]] && files+=("$(realpath "$f")"); done
  elif [[ -f "$arg" ]]; then files+=("$(realpath "$arg")")
  else echo "check-clients: $arg: no such notebook or folder" >&2; exit 2; fi
done
[[ ${#files[@]} -gt 0 ]] || { echo "check-clients: no notebooks found" >&2; exit 2; }

dotnet build "$root/lib/SslCourse.Cli" -nologo -v quiet >"$out/build.log" 2>&1 || { echo "build failed: $out/build.log"; exit 1; }
cli=(dotnet "$root/lib/SslCourse.Cli/bin/Debug/net10.0/ssl-course.dll")

# first error line of a client's log, for the table
why() { { grep -m1 -E 'Exception:|error CS|^Error' "$1" || grep -m1 -E 'error|FAILED' "$1"; } | sed 's/^ *//' | cut -c1-110; }
status=0
result() { # client notebook rc log
  if [[ $3 -eq 0 ]]; then printf '%-12s %-28s passed\n' "$1" "$2"
  else printf '%-12s %-28s FAILED (exit %s) %s\n' "$1" "$2" "$3" "$(why "$4")"; status=1; fi
}

table="$out/table.txt"
for nb in "${files[@]}"; do
  name="$(basename "$nb" .ipynb)"; dir="$(dirname "$nb")"; log="$out/$name"
  timeout "$limit" "${cli[@]}" run "$nb" --budget "$SSL_COURSE_BUDGET" --out "$out/engine" >"$log.engine.log" 2>&1
  result engine "$name" $? "$log.engine.log" | tee -a "$table"

  if command -v dotnet-repl >/dev/null 2>&1; then
    (cd "$dir" && timeout "$limit" dotnet repl --run "$nb" --exit-after-run --output-path "$out/repl-$name.ipynb") >"$log.repl.log" 2>&1
    rc=$?
    # dotnet-repl prints little on failure: take the error from the executed copy
    [[ $rc -ne 0 && -f "$out/repl-$name.ipynb" ]] && python3 -c 'import json,sys
for i, c in enumerate(json.load(open(sys.argv[1]))["cells"], 1):
    for o in c.get("outputs", []):
        if o.get("output_type") == "error": print(f"Error: cell {i}:", (o.get("evalue") or "").splitlines()[0])' "$out/repl-$name.ipynb" >>"$log.repl.log" 2>/dev/null
    result dotnet-repl "$name" $rc "$log.repl.log" | tee -a "$table"
  else echo "dotnet-repl  $name not installed" | tee -a "$table"; fi

  if command -v jupyter >/dev/null 2>&1 && jupyter kernelspec list 2>/dev/null | grep -q '\.net-csharp'; then
    timeout "$limit" jupyter nbconvert --to notebook --execute "$nb" --output-dir "$out/jupyter" --ExecutePreprocessor.timeout="$limit" >"$log.jupyter.log" 2>&1
    result jupyter "$name" $? "$log.jupyter.log" | tee -a "$table"
  else echo "jupyter      $name not installed (jupyter nbconvert + the .net-csharp kernel)" | tee -a "$table"; fi

  (cd "$out" && "${cli[@]}" export "$nb" --to cs --out "$out/export" && cd "$out/export/$name" && timeout "$limit" dotnet run --file "$name.cs") >"$log.export.log" 2>&1
  result export-app "$name" $? "$log.export.log" | tee -a "$table"
done
echo
echo "logs and executed copies: $out"
exit $status
