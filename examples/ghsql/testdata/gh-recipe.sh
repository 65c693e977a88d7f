#!/usr/bin/env bash
# Checks README.md's `gh api` recipe against `ghsql serve`: gh (GitHub's CLI, Debian package gh)
# reads and writes through the served API with a full http:// URL and an Authorization header.
# .ci/run calls it; it installs gh from Debian when it is missing and apt-get can.
set -euo pipefail
cd "$(dirname "$0")/../../.."
if ! command -v gh >/dev/null; then
  if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; then
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo -n"
    $sudo_ apt-get install -y -q gh >/dev/null
  else
    echo "gh-recipe: gh is not installed and cannot be (no apt-get or no root): the gh api recipe is not checked" >&2
    exit 0
  fi
fi
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/ghsql" ./examples/ghsql
"$work/ghsql" serve -addr 127.0.0.1:0 -dir "$work/store" >"$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q 'http://127' "$work/serve.out" && break; sleep 0.1; done
base=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.out" | head -1)
[ -n "$base" ] || { echo "gh-recipe: serve printed no URL:" >&2; cat "$work/serve.out" >&2; exit 1; }
export HOME="$work/home" GH_TOKEN=anything
mkdir -p "$HOME"
# The recipe, as README.md shows it (with the port serve chose).
"$work/ghsql" -dsn "demo/demo?base_url=$base&token=anything" -e "INSERT INTO objects (id, name) VALUES ('alice', 'Alice')" >/dev/null
got=$(gh api -H "Authorization: token anything" "${base}api/v3/repos/demo/demo/issues?labels=stored-object&state=all" --jq '.[].title')
[ "$got" = "Stored Object: alice" ] || { echo "gh-recipe: gh api read $got" >&2; exit 1; }
n=$(gh api -H "Authorization: token anything" -X POST "${base}api/v3/repos/demo/demo/issues" -f title=hello --jq .number)
[ "$n" = 2 ] || { echo "gh-recipe: gh api created issue $n, want 2" >&2; exit 1; }
echo "gh-recipe: gh $(gh --version | head -1 | awk '{print $3}') reads and writes through ghsql serve"
