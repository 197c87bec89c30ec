#!/usr/bin/env bash
# The ticket bench: builds Release and runs bench/Helpdesk.Bench, which fills a temp SQLite file
# with tickets through TicketService and prints creation throughput and the latency (p50/p99) of
# the agent inbox and a text search, through EF and as hand-written SQL. Figures only; it asserts
# nothing. Results and how to read them: docs/benchmarks.md.
#
#   scripts/bench.sh            100,000 tickets (about 10 minutes on 2 cores, more when the machine is busy)
#   scripts/bench.sh 5000       a quick run (about a minute)
#   scripts/bench.sh 100000 --iterations 2000 --search-iterations 100 --search 维修 --keep
set -euo pipefail

cd "$(dirname "$0")/.."

tickets="${1:-100000}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$tickets" =~ ^[0-9]+$ ]] || [[ "$tickets" -lt 1 ]]; then
    echo "usage: scripts/bench.sh [ticket-count] [bench options...]" >&2
    exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "Building bench/Helpdesk.Bench (Release)..."
if ! build_output=$(dotnet build bench/Helpdesk.Bench/Helpdesk.Bench.csproj -c Release --nologo -v quiet 2>&1); then
    echo "$build_output" >&2
    exit 1
fi
exec dotnet bench/Helpdesk.Bench/bin/Release/net10.0/Helpdesk.Bench.dll "$tickets" "$@"
