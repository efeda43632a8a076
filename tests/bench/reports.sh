#!/usr/bin/env bash
# tests/bench/reports.sh — how long each report query and the supervisor's dashboard counters
# take at N cases (see tests/bench/README.md).
#
# Builds the release binary, loads the demo data and N bench cases (`mesa seed --demo`,
# `mesa-bench-seed N`, spread over three years) into a database of the private Postgres (or of
# DATABASE_URL's server), serves the API on loopback and times every report of the demo's TIC
# desk as its supervisor: RUNS requests each after one warm-up, one at a time. Prints a table;
# exits 1 when a median misses the target. Everything it starts is stopped on exit.
#
# Environment:
#   N=1000000        cases to load (N=20000 checks the script end to end in a few minutes)
#   RUNS=5           timed requests per report
#   TARGET_MS=300    the median each report must stay under
#   BENCH_RELOAD=0   1: load again even when a database with N cases is there
#   PROFILE=release  debug: the debug build instead (checks the script; its times are not the target's)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh" # strict mode, cd to the repo root, helpers

N=${N:-1000000}
RUNS=${RUNS:-5}
TARGET_MS=${TARGET_MS:-300}
BENCH_RELOAD=${BENCH_RELOAD:-0}
WORK="$DATA_DIR/bench-reports"
PROFILE=${PROFILE:-release}
case "$PROFILE" in release) BUILD_FLAGS=(--release) ;; debug) BUILD_FLAGS=() ;; *) die "PROFILE must be release or debug" ;; esac
RELEASE_BIN="$CARGO_TARGET/$PROFILE/mesa"
SEED_BIN="$CARGO_TARGET/$PROFILE/mesa-bench-seed"
PASSWORD="MesaDemo2026!"
DB="mesa_reports_bench_$N"

[[ "$N" =~ ^[0-9]+$ ]] || die "N must be a number"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
command -v curl >/dev/null 2>&1 || die "curl is required"
mkdir -p "$WORK"

stage build cargo build "${BUILD_FLAGS[@]}" -p mesa
pg_start
on_exit '[ "$PG_STARTED_BY_US" = 1 ] && pg_stop'
URL=$(url_with_db "$PG_SERVER_URL" "$DB")
sql() { psql_cmd "$URL" -Atc "$1"; }

if [ "$(psql_cmd "$PG_SERVER_URL" -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ] && [ "$BENCH_RELOAD" != 1 ]; then
  say "reusing the loaded database $DB (BENCH_RELOAD=1 loads again)"
  DATABASE_URL=$URL "$RELEASE_BIN" migrate
else
  recreate_db "$PG_SERVER_URL" "$DB"
  DATABASE_URL=$URL "$RELEASE_BIN" migrate
  DATABASE_URL=$URL "$RELEASE_BIN" seed --demo
  t0=$SECONDS
  DATABASE_URL=$URL RUST_LOG=info "$SEED_BIN" "$N"
  say "loaded $N cases in $(fmt_secs $((SECONDS - t0)))"
fi
sql "VACUUM (ANALYZE) tickets, ticket_events, surveys" >/dev/null
say "database $DB: $(sql "SELECT count(*) FROM tickets") cases, $(sql "SELECT count(*) FROM ticket_events") events, $(sql "SELECT count(*) FROM surveys") surveys"

port=$(free_port)
BASE="http://127.0.0.1:$port/api/v1"
DATABASE_URL=$URL MESA_BIND="127.0.0.1:$port" MESA_JWT_SECRET="$(random_secret)" MESA_ATTACHMENTS_DIR="$WORK/attachments" \
  MESA_ACCESS_TOKEN_TTL=86400 RUST_LOG=warn "$RELEASE_BIN" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
# shellcheck disable=SC2016 # expanded when the hook runs
on_exit 'stop_pid "$SERVER_PID"'
wait_http "$BASE/health" 60 "$SERVER_PID" "$WORK/server.log"

TOKEN=$(curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"supervisor.tic\",\"password\":\"$PASSWORD\"}" "$BASE/auth/login" \
  | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
[ -n "$TOKEN" ] || die "login as supervisor.tic failed"
DESK=$(sql "SELECT d.id FROM desks d JOIN desk_supervisors s ON s.desk_id = d.id JOIN users u ON u.id = s.user_id WHERE u.username = 'supervisor.tic' ORDER BY d.code LIMIT 1")
DESK_CASES=$(sql "SELECT count(*) FROM tickets WHERE desk_id = '$DESK'")
SERVICE=$(sql "SELECT service_id FROM tickets WHERE desk_id = '$DESK' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
TO=$(date -u +%F)
FROM90=$(date -u -d "$TO - 89 days" +%F)
FROM365=$(date -u -d "$TO - 364 days" +%F)
# The last full quarter.
month=$(date -u +%-m)
year=$(date -u +%Y)
quarter=$(((month - 1) / 3))
if [ "$quarter" = 0 ]; then quarter=4 year=$((year - 1)); fi

ROWS=()
FAILED=0
# time_report NAME PATH [ACCEPT]: RUNS timed requests after a warm-up; median and slowest.
time_report() {
  local name=$1 path=$2 accept=${3:-application/json} i code t times=()
  code=$(curl -sS -o "$WORK/out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H "Accept: $accept" "$BASE$path")
  [[ "$code" == 200 ]] || { head -c 500 "$WORK/out" >&2; echo >&2; die "$path answered $code"; }
  for ((i = 0; i < RUNS; i++)); do
    t=$(curl -sS -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" -H "Accept: $accept" "$BASE$path")
    times+=("$(awk -v s="$t" 'BEGIN { printf "%.1f", s * 1000 }')")
  done
  local sorted median max verdict=pass
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
  max=$(tail -1 <<<"$sorted")
  awk -v m="$median" -v t="$TARGET_MS" 'BEGIN { exit !(m < t) }' || { verdict=FAIL; FAILED=1; }
  ROWS+=("$(printf '%-40s %10s %10s  %s' "$name" "$median" "$max" "$verdict")")
  say "$name: median $median ms, slowest $max ms"
}

P90="desk=$DESK&from=$FROM90&to=$TO"
P365="desk=$DESK&from=$FROM365&to=$TO"
time_report "summary, 90 days" "/reports/summary?$P90"
time_report "summary, 365 days" "/reports/summary?$P365"
time_report "summary, 90 days, one service" "/reports/summary?$P90&service=$SERVICE"
time_report "summary, 90 days, priority high" "/reports/summary?$P90&priority=high"
time_report "summary, every supervised desk" "/reports/summary?from=$FROM90&to=$TO"
time_report "volume by day, 90 days" "/reports/volume?$P90"
time_report "volume by week, 365 days" "/reports/volume?$P365&granularity=week"
time_report "volume by month, 365 days" "/reports/volume?$P365&granularity=month"
time_report "sla by priority, 90 days" "/reports/sla?$P90"
time_report "sla by service, 90 days" "/reports/sla?$P90&by=service"
time_report "top services, 90 days" "/reports/top?$P90"
time_report "top categories, 90 days" "/reports/top?$P90&by=category"
time_report "summary as CSV, 90 days" "/reports/summary?$P90" text/csv
time_report "quarterly PDF ($year T$quarter)" "/reports/quarterly?desk=$DESK&year=$year&quarter=$quarter&format=pdf"
time_report "quarterly XLSX ($year T$quarter)" "/reports/quarterly?desk=$DESK&year=$year&quarter=$quarter&format=xlsx"
time_report "drill-down: opened, 90 days" "/reports/cases?$P90&measure=opened"
time_report "drill-down: resolution missed, 365 days" "/reports/cases?$P365&measure=resolution_missed"
time_report "drill-down: first contact, 365 days" "/reports/cases?$P365&measure=first_contact"
time_report "drill-down: backlog, 90 days" "/reports/cases?$P90&measure=backlog"
time_report "drill-down: escalated, 90 days" "/reports/cases?$P90&measure=escalated"
time_report "dashboard: desk overview" "/desks/$DESK/overview"
time_report "dashboard: queue counters" "/tickets/queues"

printf '\n== reports bench: %s cases (%s in the desk), %s build, %s runs each, %s cores, load average %s ==\n' \
  "$N" "$DESK_CASES" "$PROFILE" "$RUNS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %10s %10s  %s\n' report "median ms" "max ms" "< $TARGET_MS ms"
printf '%s\n' "${ROWS[@]}"
if [ "$FAILED" = 1 ]; then
  printf 'bench: a target was missed\n'
  exit 1
fi
printf 'bench: every target met\n'
