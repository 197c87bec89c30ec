#!/usr/bin/env bash
# Runs the benchmarks of bench/Helpdesk.Bench and prints their figures (docs/benchmarks.md).
#
#   scripts/bench.sh                 the ticket bench (100,000 tickets), the chat load (1,000 conversations), the mail intake (10,000 mails)
#   scripts/bench.sh chat [N M S] [--silent-agents]  only the chat load: N customers, M agents, S seconds per phase (1000 25 20);
#                                    agents answer every 20 s unless --silent-agents
#   scripts/bench.sh triage [R]      only the triage bench: R rounds over the evaluation set (200)
#   scripts/bench.sh mail [N] [--what-if-normal]  only the mail intake: N mails in a throwaway Dovecot (10000), raw fetch+parse vs intake
#   scripts/bench.sh sla [N] [opts]  the SLA timers: N open tickets due over 60 s (100000); --polling ms, --workers n,
#                                    --spread s, --lead s, --normal (SQLite synchronous=NORMAL)
#   scripts/bench.sh dashboard [N C] the supervisor dashboard: snapshot over N tickets (1000000) and its push to C supervisors (50)
#   scripts/bench.sh N [options]     only the ticket bench with N tickets
#   scripts/bench.sh wording [N]     only the forbidden-phrase check (N messages, 200,000)
#
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

mode=both
case "${1:-}" in
    chat|wording|triage|mail|sla|dashboard) mode="$1"; shift ;;
    "") ;;
    *) mode=tickets ;;
esac

tickets=100000
if [[ "$mode" == "tickets" ]]; then
    tickets="$1"; shift
    if ! [[ "$tickets" =~ ^[0-9]+$ ]] || [[ "$tickets" -lt 1 ]]; then
        echo "usage: scripts/bench.sh [chat [customers agents seconds] | wording | triage | mail [mails] | sla [tickets] | dashboard [tickets connections] | ticket-count [bench options...]]" >&2
        exit 2
    fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "Building bench/Helpdesk.Bench (Release)..."
if ! build_output=$(dotnet build bench/Helpdesk.Bench/Helpdesk.Bench.csproj -c Release --nologo -v quiet 2>&1); then
    echo "$build_output" >&2
    exit 1
fi
bench=bench/Helpdesk.Bench/bin/Release/net10.0/Helpdesk.Bench.dll
case "$mode" in
    chat)    exec dotnet "$bench" chat "$@" ;;
    sla)     exec dotnet "$bench" sla "$@" ;;
    dashboard) exec dotnet "$bench" dashboard "$@" ;;
    wording) exec dotnet "$bench" wording "$@" ;;
    triage)  exec dotnet "$bench" triage "$@" ;;
    mail)    exec dotnet "$bench" mail "$@" ;;
    tickets) exec dotnet "$bench" "$tickets" "$@" ;;
    both)    dotnet "$bench" "$tickets"; echo; dotnet "$bench" wording; echo; dotnet "$bench" triage; echo; dotnet "$bench" mail; echo; exec dotnet "$bench" chat ;;
esac
