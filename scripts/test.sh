#!/usr/bin/env bash
# Installs what the tests need, runs every test project, and ends with one line:
# "N passed, N failed" (totals over all test projects). Exit code 0 only if all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

# --- system packages -------------------------------------------------------------------------
# Each entry: a command that proves the package is there, and the Debian package that brings it.
apt_needed=()
command -v chromium >/dev/null 2>&1 || apt_needed+=(chromium)
# The email tests start a real IMAP server (Dovecot) and a real SMTP server (aiosmtpd, in Debian's Python).
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || apt_needed+=(dovecot-imapd)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || apt_needed+=(python3-aiosmtpd)
# The PostgreSQL provider's tests start a throwaway cluster of Debian's postgresql (initdb, pg_ctl).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_needed+=(postgresql)
# Two app nodes share a SignalR Redis backplane in the scale-out tests.
[ -x /usr/bin/redis-server ] || apt_needed+=(redis-server)
# Chinese glyphs in browser screenshots (tests do not depend on them, people looking at screenshots do).
fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk" || apt_needed+=(fonts-wqy-microhei)
for extra in ${HELPDESK_TEST_APT:-}; do apt_needed+=("$extra"); done
if [ ${#apt_needed[@]} -gt 0 ]; then
  log "apt-get install ${apt_needed[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq || { echo "apt-get update failed" >&2; exit 1; }
  as_root apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null \
    || { echo "apt-get install ${apt_needed[*]} failed" >&2; exit 1; }
fi

# --- front-end packages ----------------------------------------------------------------------
if [ -f package.json ]; then
  log "npm ci"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi \
    || { echo "npm install failed" >&2; exit 1; }
fi

# --- .NET ------------------------------------------------------------------------------------
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "dotnet build"
dotnet build Helpdesk.sln -c Debug -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; echo "build failed" >&2; exit 1; }

results="$root/TestResults"
rm -rf "$results"
passed=0; failed=0; status=0
# Each run: a name, the test project, and the database every app of that run uses. The Web tests
# run twice: on SQLite (the default) and on PostgreSQL (HELPDESK_TEST_DATABASE, a throwaway cluster).
runs=()
for project in tests/*/*.csproj; do runs+=("$(basename "$project" .csproj)|$project|Sqlite"); done
runs+=("Helpdesk.Web.Tests.PostgreSql|tests/Helpdesk.Web.Tests/Helpdesk.Web.Tests.csproj|PostgreSql")
for run in "${runs[@]}"; do
  IFS='|' read -r name project database <<<"$run"
  log "dotnet test $name"
  out="$results/$name"
  mkdir -p "$out"
  # The full log (with the app's own log lines) stays in TestResults; the screen gets the verdicts.
  HELPDESK_TEST_DATABASE="$database" dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$out" \
    --logger "console;verbosity=normal" > "$out/console.log" 2>&1
  rc=$?
  grep -E "^\s+Failed Helpdesk\.|^\s*(Passed|Failed)!|^Total tests" "$out/console.log"
  if [ "$rc" -ne 0 ]; then
    # What failed and why, from the runner's own report.
    grep -E -A 25 "^\s+Failed Helpdesk\." "$out/console.log" | head -n 200
  fi
  trx=$(ls "$out"/*.trx 2>/dev/null | head -n 1)
  if [ -n "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    # Tests that never ran to an outcome (a crashed host, a timeout) count as failures.
    e=$(sed -E 's/.* error="([0-9]+)".*/\1/' <<<"$counters")
    na=$(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")
    passed=$((passed + p)); failed=$((failed + f + e + na))
  else
    echo "$name produced no results" >&2
    failed=$((failed + 1))
  fi
  [ "$rc" -eq 0 ] || status=1
done

[ "$failed" -eq 0 ] || status=1
echo
echo "$passed passed, $failed failed"
exit $status
