#!/usr/bin/env bash
# tests/bench/tickets.sh — performance bench of the ticket API (see tests/bench/README.md).
#
# Builds the release binary, starts a private Postgres of its own, loads the demo data and N
# bench cases (`mesa seed --demo`, `mesa-bench-seed N`), serves the API on loopback and drives
# it with wrk; runs pgbench on the same Postgres: register_ticket() alone (the registration's own
# database throughput) and a one-row insert (the floor); prints one table. Exits 1 when a target
# is missed. Everything it starts is stopped on exit.
#
# Environment:
#   N=1000000            cases to load (e.g. N=20000 checks the script end to end in a few minutes)
#   DURATION=20          seconds per scenario (the action scenario runs half of it, at least 5 s)
#   CONNECTIONS=8        concurrent clients (wrk connections, pgbench clients)
#   THREADS=2            wrk threads / pgbench jobs
#   BENCH_KEEP=0         1: keep the bench cluster and the loaded database after the run; the next
#                        run with the same N then skips the load (it works on a copy)
#   BENCH_RELOAD=0       1: load again even when a kept database exists
#   BENCH_PG_PORT        port of the bench Postgres (default: a free one)
#   BENCH_RUST_LOG=info  the server's RUST_LOG (info, as in production, writes an access log line per request)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh" # strict mode, cd to the repo root, helpers

N=${N:-1000000}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
BENCH_KEEP=${BENCH_KEEP:-0}
BENCH_RELOAD=${BENCH_RELOAD:-0}
BENCH_DIR="$MESA_ROOT/tests/bench"
WORK="$DATA_DIR/bench"
RELEASE_BIN="$CARGO_TARGET/release/mesa"
SEED_BIN="$CARGO_TARGET/release/mesa-bench-seed"
PASSWORD="MesaDemo2026!"
AGENT=agente.n1
REQUESTER=lucia.martinez
TEMPLATE_DB="mesa_bench_tpl_$N"
RUN_DB=mesa_bench

[[ "$N" =~ ^[0-9]+$ ]] || die "N must be a number"
[[ "$DURATION" =~ ^[0-9]+$ ]] || die "DURATION must be a number of seconds"

# ---------------------------------------------------------------------------
# Tools

need_tools() {
  if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing wrk"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
    fi
    command -v wrk >/dev/null 2>&1 || die "wrk is required (apt-get install wrk)"
  fi
  PG_BIN=$(pg_bin)
  [ -x "$PG_BIN/pgbench" ] || die "pgbench is missing from $PG_BIN"
  command -v curl >/dev/null 2>&1 || die "curl is required"
  mkdir -p "$WORK"
}

build() { cargo build --release -p mesa; }

# ---------------------------------------------------------------------------
# The bench cluster: its own data directory and settings (not the dev cluster of make run).

BENCH_PG_DIR=""
BENCH_PG_PORT=${BENCH_PG_PORT:-}
bench_pg_dir() { # like pg_data_dir, for .data/bench-pg
  local link="$DATA_DIR/bench-pg"
  if [ ! -e "$link" ] && [ ! -L "$link" ]; then
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || die "there is no user 'postgres' (run scripts/deps.sh)"
      chmod 755 "$DATA_DIR"
      if runuser -u postgres -- test -x "$DATA_DIR"; then
        mkdir "$link"
      else
        local alt
        alt="/var/tmp/mesa-bench-pg-$(printf '%s' "$MESA_ROOT" | cksum | cut -d' ' -f1)"
        mkdir -p "$alt"
        ln -s "$alt" "$link"
      fi
      chown postgres:postgres "$(readlink -f "$link")"
    else
      mkdir "$link"
    fi
    chmod 700 "$(readlink -f "$link")"
  fi
  readlink -f "$link"
}

bench_pg_remove() {
  local link="$DATA_DIR/bench-pg"
  if [ -L "$link" ]; then rm -rf "$(readlink -f "$link")"; fi
  rm -rf "$link"
}

bench_pg_start() {
  BENCH_PG_DIR=$(bench_pg_dir)
  [ -n "$BENCH_PG_PORT" ] || BENCH_PG_PORT=$(free_port)
  if [ ! -s "$BENCH_PG_DIR/PG_VERSION" ]; then
    find "$BENCH_PG_DIR" -mindepth 1 -delete
    as_postgres "$PG_BIN/initdb" -D "$BENCH_PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
      || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$BENCH_PG_DIR" status >/dev/null 2>&1; then
    die "the bench cluster in $BENCH_PG_DIR is already running (another bench?)"
  fi
  # Production-like: durable commits (fsync, synchronous_commit on), memory sized to the machine.
  local mem_mb shared_mb
  mem_mb=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)
  shared_mb=$((mem_mb / 4))
  ((shared_mb > 4096)) && shared_mb=4096
  local opts="-p $BENCH_PG_PORT -k /tmp -c listen_addresses=127.0.0.1"
  opts="$opts -c shared_buffers=${shared_mb}MB -c effective_cache_size=$((mem_mb / 2))MB"
  opts="$opts -c max_wal_size=8GB -c checkpoint_timeout=30min -c max_connections=100"
  on_exit bench_pg_stop
  as_postgres "$PG_BIN/pg_ctl" -D "$BENCH_PG_DIR" -l "$BENCH_PG_DIR/server.log" -w -t 60 -o "$opts" start >/dev/null \
    || { tail -n 20 "$BENCH_PG_DIR/server.log" >&2; die "the bench Postgres did not start on 127.0.0.1:$BENCH_PG_PORT"; }
  PG_ADMIN_URL="postgres://postgres@127.0.0.1:$BENCH_PG_PORT/postgres"
  say "Postgres $("$PG_BIN/postgres" --version | awk '{print $3}'): bench cluster on 127.0.0.1:$BENCH_PG_PORT (shared_buffers ${shared_mb}MB, fsync on)"
}

bench_pg_stop() {
  if [ -n "$BENCH_PG_DIR" ] && as_postgres "$PG_BIN/pg_ctl" -D "$BENCH_PG_DIR" status >/dev/null 2>&1; then
    as_postgres "$PG_BIN/pg_ctl" -D "$BENCH_PG_DIR" -m fast -w stop >/dev/null || true
    say "Postgres: stopped the bench cluster"
  fi
  if [ "$BENCH_KEEP" = 1 ]; then
    say "kept the bench cluster in $DATA_DIR/bench-pg (BENCH_KEEP=1)"
  else
    bench_pg_remove
  fi
}

db_url() { printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$BENCH_PG_PORT" "$1"; }
sql() { psql_cmd "$(db_url "$RUN_DB")" -Atc "$1"; }

# ---------------------------------------------------------------------------
# Data

LOAD_SECS=""
prepare_db() {
  local exists
  exists=$(psql_cmd "$PG_ADMIN_URL" -Atc "SELECT 1 FROM pg_database WHERE datname = '$TEMPLATE_DB'")
  if [ "$exists" = 1 ] && [ "$BENCH_RELOAD" != 1 ]; then
    say "reusing the loaded database $TEMPLATE_DB (BENCH_RELOAD=1 loads again)"
    # Migrations newer than the load (an index over 1M cases) are applied once, not on every copy.
    DATABASE_URL=$(db_url "$TEMPLATE_DB") "$RELEASE_BIN" migrate
  else
    recreate_db "$PG_ADMIN_URL" "$TEMPLATE_DB"
    local url t0
    url=$(db_url "$TEMPLATE_DB")
    DATABASE_URL=$url "$RELEASE_BIN" migrate
    DATABASE_URL=$url "$RELEASE_BIN" seed --demo
    t0=$SECONDS
    DATABASE_URL=$url RUST_LOG=info "$SEED_BIN" "$N"
    LOAD_SECS=$((SECONDS - t0))
    say "loaded $N cases in $(fmt_secs "$LOAD_SECS")"
  fi
  if [ "$BENCH_KEEP" = 1 ]; then
    # Work on a copy so the kept database stays as loaded.
    PGOPTIONS="-c client_min_messages=warning" psql_cmd "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$RUN_DB\" WITH (FORCE)"
    psql_cmd "$PG_ADMIN_URL" -c "CREATE DATABASE \"$RUN_DB\" TEMPLATE \"$TEMPLATE_DB\""
  else
    RUN_DB=$TEMPLATE_DB
  fi
  DATABASE_URL=$(db_url "$RUN_DB") "$RELEASE_BIN" migrate
  say "database $RUN_DB: $(sql "SELECT count(*) FROM tickets") cases, $(sql "SELECT count(*) FROM followups") follow-ups, $(sql "SELECT count(*) FROM ticket_events") events, $(sql "SELECT pg_size_pretty(pg_database_size(current_database()))")"
}

# ---------------------------------------------------------------------------
# Server

SERVER_PID=""
SERVER_T0=""
BASE=""
start_server() {
  local port
  port=$(free_port)
  BASE="http://127.0.0.1:$port/api/v1"
  mkdir -p "$WORK/attachments"
  SERVER_T0=$(sql "SELECT now()")
  DATABASE_URL=$(db_url "$RUN_DB") MESA_BIND="127.0.0.1:$port" MESA_JWT_SECRET="$(random_secret)" \
    MESA_ATTACHMENTS_DIR="$WORK/attachments" MESA_ACCESS_TOKEN_TTL=86400 MESA_RATE_LIMIT_PER_TOKEN=0 MESA_RATE_LIMIT_PER_ADDRESS=0 RUST_LOG="${BENCH_RUST_LOG:-info}" \
    "$RELEASE_BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  # shellcheck disable=SC2016 # expanded when the hook runs
  on_exit 'stop_pid "$SERVER_PID"'
  wait_http "$BASE/health" 60 "$SERVER_PID" "$WORK/server.log"
  say "mesa serve (release) on 127.0.0.1:$port, log in .data/bench/server.log"
}

# The server's job runner checks every open case's SLA once a minute. Its first pass over freshly
# loaded data fires the escalation rules of every case already past its targets (thousands):
# wait for it so the scenarios measure the steady state, not that one-off burst.
warm_up() {
  local deadline=$((SECONDS + 600)) fired
  say "waiting for the first SLA check of the loaded cases"
  while ((SECONDS < deadline)); do
    if [ "$(sql "SELECT count(*) FROM jobs WHERE kind = 'sla_check' AND locked_until IS NULL AND run_at > '$SERVER_T0'::timestamptz + interval '30 seconds'")" = 1 ]; then
      fired=$(grep -o 'sla: [0-9]* escalation' "$WORK/server.log" | head -1 | grep -o '[0-9]*' || true)
      say "first SLA check done (${fired:-0} escalation rules fired)"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited (see .data/bench/server.log)"
    sleep 1
  done
  die "the first SLA check did not finish within 600 s"
}

login() { # USERNAME -> access token
  local out
  out=$(curl -fsS -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE/auth/login") \
    || die "login as $1 failed"
  printf '%s' "$out" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4
}

# check METHOD PATH TOKEN [BODY]: the request must answer 2xx; prints "status items".
check() {
  local method=$1 path=$2 token=$3 body=${4:-} out status
  if [ -n "$body" ]; then
    out=$(curl -sS -o "$WORK/check.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" "$BASE$path")
  else
    out=$(curl -sS -o "$WORK/check.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" "$BASE$path")
  fi
  status=$out
  [[ "$status" == 2* ]] || { cat "$WORK/check.json" >&2; echo >&2; die "$method $path answered $status"; }
  printf '%s %s\n' "$status" "$(grep -o '"number":' "$WORK/check.json" | wc -l)"
}

# ---------------------------------------------------------------------------
# Scenarios

ROWS=()
FAILED=0
LOAD_BEFORE=""
CREATE_RPS=""
ACTION_RPS=""
QUEUE_RPS=""
QUEUE_API_TOKEN_RPS=""
PGBENCH_TPS=""
REGISTER_TPS=""

fmt_ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

# CPU used by anything else than the bench (server, bench cluster, load tool) while a scenario
# runs, as a share of the machine: on a quiet machine it stays near 0 %.
bench_ticks() { # clock ticks used by the server and the bench cluster's processes
  local pids pid total=0 postmaster
  postmaster=$(head -1 "$BENCH_PG_DIR/postmaster.pid" 2>/dev/null || true)
  pids="$SERVER_PID $(pgrep -P "${postmaster:-0}" 2>/dev/null | tr '\n' ' ')"
  for pid in $pids; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  # The postmaster with its finished backends (pgbench's connections end before we look).
  [ -z "$postmaster" ] || total=$((total + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat" 2>/dev/null || echo 0)))
  echo "$total"
}
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8, $5 + $6 }' /proc/stat; }
children_ticks() { # CPU of this script's finished children (wrk, pgbench): `times` written by the caller
  tail -1 "$WORK/times" | awk -v hz="$(getconf CLK_TCK)" '{ gsub(/[ms]/, " "); split($0, a, " "); print int((a[1] * 60 + a[2] + a[3] * 60 + a[4]) * hz) }'
}
OTHER_T0=""
other_start() {
  times >"$WORK/times" # in this shell: a subshell's `times` would not count this shell's children
  OTHER_T0="$(bench_ticks) $(machine_ticks) $(children_ticks)"
}
other_end() { # prints the share in percent
  local b0 t0 i0 c0 b1 t1 i1 c1
  read -r b0 t0 i0 c0 <<<"$OTHER_T0"
  times >"$WORK/times"
  read -r b1 t1 i1 c1 <<<"$(bench_ticks) $(machine_ticks) $(children_ticks)"
  awk -v busy=$(((t1 - i1) - (t0 - i0))) -v bench=$((b1 - b0)) -v tool=$((c1 - c0)) -v all=$((t1 - t0)) \
    'BEGIN { o = busy - bench - tool; if (o < 0) o = 0; printf "%.0f %%", (all > 0 ? 100 * o / all : 0) }'
}

# add_row NAME RPS P50_US P90_US P99_US TARGET_TEXT PASS OTHER_CPU
add_row() {
  ROWS+=("$(printf '%-28s %10s %8s %8s %8s  %-26s %-6s %s' "$1" "$2" "$(fmt_ms "$3")" "$(fmt_ms "$4")" "$(fmt_ms "$5")" "$6" "$7" "$8")")
  [ "$7" = pass ] || [ "$7" = "-" ] || FAILED=1
}

# run_wrk NAME TOKEN P99_TARGET_MS METHOD PATHS [BODY]: sets RPS. A '#' in PATHS becomes a case
# number from the file $WRK_NUMBERS (cycled when WRK_WRAP=1, else each used once); WRK_DURATION
# overrides DURATION. The three are reset after the run.
RPS=""
WRK_NUMBERS=""
WRK_WRAP=0
WRK_DURATION=""
run_wrk() {
  local name=$1 token=$2 target_ms=$3 method=$4 paths=$5 body=${6:-} out line full="" p
  local duration_s=${WRK_DURATION:-$DURATION} numbers=$WRK_NUMBERS wrap=$WRK_WRAP
  WRK_NUMBERS="" WRK_WRAP=0 WRK_DURATION=""
  local -a list
  IFS='|' read -ra list <<<"$paths"
  for p in "${list[@]}"; do full+="/api/v1$p|"; done
  say "$name: wrk -t$THREADS -c$CONNECTIONS -d${duration_s}s"
  other_start
  out=$(BENCH_TOKEN=$token BENCH_METHOD=$method BENCH_PATHS=${full%|} BENCH_BODY=$body BENCH_THREADS=$THREADS \
    BENCH_NUMBERS=$numbers BENCH_NUMBERS_WRAP=$wrap \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration_s}s" --timeout 10s --latency -s "$BENCH_DIR/api.lua" "${BASE%/api/v1}/" 2>&1)
  local other
  other_end >"$WORK/other"
  other=$(cat "$WORK/other")
  printf '%s\n' "$out" >"$WORK/wrk-${name// /_}.txt"
  line=$(printf '%s\n' "$out" | grep '^BENCH ') || { printf '%s\n' "$out" >&2; die "wrk gave no summary"; }
  local requests duration p50 p90 p99 sock status
  requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")
  duration=$(sed -E 's/.* duration_us=([0-9]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$line")
  p90=$(sed -E 's/.* p90_us=([0-9]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$line")
  sock=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$line")
  status=$(sed -E 's/.* status_errors=([0-9]+).*/\1/' <<<"$line")
  RPS=$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  local verdict="-" target="-"
  if [ -n "$target_ms" ]; then
    verdict=pass
    target="p99 < $target_ms ms"
    ((p99 < target_ms * 1000)) || verdict=FAIL
  fi
  if ((sock + status > 0)); then
    verdict=FAIL
    target="$target; $((sock + status)) errors"
    [ -z "$numbers" ] || [ "$wrap" = 1 ] || target="$target (ran out of cases?)"
  fi
  add_row "$name" "$RPS" "$p50" "$p90" "$p99" "$target" "$verdict" "$other"
  say "$name: $RPS req/s, p50 $(fmt_ms "$p50") ms, p99 $(fmt_ms "$p99") ms, errors $((sock + status))"
}

# run_pgbench NAME SCRIPT [-D var=value …]: sets TPS and adds a row.
TPS=""
run_pgbench() {
  local name=$1 script=$2
  shift 2
  say "pgbench: $name, -c$CONNECTIONS -j$THREADS -T$DURATION"
  local url
  url=$(db_url "$RUN_DB")
  rm -rf "$WORK/pgbench" && mkdir -p "$WORK/pgbench" && chmod 777 "$WORK/pgbench"
  other_start
  (cd "$WORK/pgbench" && "$PG_BIN/pgbench" -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" -l "$@" \
    -f "$BENCH_DIR/$script" "$url") >"$WORK/pgbench-$script.txt" 2>&1 || { cat "$WORK/pgbench-$script.txt" >&2; die "pgbench failed"; }
  local other
  other_end >"$WORK/other"
  other=$(cat "$WORK/other")
  TPS=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$WORK/pgbench-$script.txt" | head -1 | awk '{ printf "%.0f", $1 }')
  # Per-transaction log: the third field is the latency in microseconds.
  local p50 p90 p99
  read -r p50 p90 p99 < <(cat "$WORK"/pgbench/pgbench_log.* | awk '{ print $3 }' | sort -n \
    | awk '{ a[NR] = $1 } END { printf "%d %d %d\n", a[int(NR * 0.50) + 1], a[int(NR * 0.90) + 1], a[int(NR * 0.99) + 1] }')
  add_row "$name" "$TPS" "$p50" "$p90" "$p99" "-" "-" "$other"
  say "pgbench: $name: $TPS tps"
}

# The registration alone: register_ticket() with the arguments the API would send for the bench's
# service and requester (its routed group, the desk's policy), so API / this ratio is the cost of
# everything around the database call.
run_pgbench_register() {
  local service=$1 fields=$2 row
  row=$(sql "SELECT n.desk_id, g.id, g.level, u.id, u.area_id, u.organization_id, coalesce(s.sla_policy_id, d.sla_policy_id)
    FROM catalog_nodes n JOIN services s ON s.node_id = n.id JOIN desks d ON d.id = n.desk_id
    JOIN users u ON u.username = '$REQUESTER'
    LEFT JOIN service_routes r ON r.service_id = n.id AND r.organization_id = u.organization_id
    JOIN support_groups g ON g.id = coalesce(r.group_id, s.responsible_group_id)
    WHERE n.id = '$service'")
  local desk group level requester area org policy
  IFS='|' read -r desk group level requester area org policy <<<"$row"
  [ -n "$group" ] && [ -n "$policy" ] || die "the bench service has no group or no SLA policy: $row"
  run_pgbench "pgbench register_ticket()" pgbench_register.sql -D "group=$group" -D "level=$level" -D "desk=$desk" -D "service=$service" \
    -D "area=$area" -D "org=$org" -D "requester=$requester" -D "policy=$policy" -D "fields=$fields"
  REGISTER_TPS=$TPS
}

run_pgbench_insert() {
  psql_cmd "$(db_url "$RUN_DB")" -f "$BENCH_DIR/pgbench_table.sql" >/dev/null
  run_pgbench "pgbench one-row insert" pgbench_insert.sql
  PGBENCH_TPS=$TPS
  psql_cmd "$(db_url "$RUN_DB")" -c "DROP SCHEMA bench_scratch CASCADE" >/dev/null
}

scenarios() {
  local agent requester
  agent=$(login "$AGENT")
  requester=$(login "$REQUESTER")

  # A service the requester may request without attachments, routed to a group with members (so
  # creation picks an agent, as in production): the demo's "Soporte virtual o en sitio" when it is
  # there. Its required fields get a valid value.
  local service fields
  service=$(sql "SELECT n.id FROM catalog_nodes n JOIN services s ON s.node_id = n.id JOIN desks d ON d.id = n.desk_id
      LEFT JOIN service_routes r ON r.service_id = n.id AND r.organization_id = (SELECT organization_id FROM users WHERE username = '$REQUESTER')
      WHERE n.kind = 'service' AND n.active AND d.active AND s.required_attachments = '[]'
        AND NOT s.form_fields @> '[{\"type\": \"file\", \"required\": true}]'
        AND (s.audience ->> 'everyone')::boolean
        AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = coalesce(r.group_id, s.responsible_group_id))
        AND NOT EXISTS (SELECT 1 FROM desk_organizations o WHERE o.desk_id = d.id)
      ORDER BY n.code = 'soporte-virtual-o-en-sitio' DESC, (r.group_id IS NOT NULL) DESC, d.code DESC, n.code LIMIT 1")
  [ -n "$service" ] || die "no service without required attachments to create cases on"
  fields=$(sql "SELECT coalesce(jsonb_object_agg(f ->> 'key', CASE f ->> 'type' WHEN 'select' THEN f -> 'options' -> 0 -> 'value'
      WHEN 'number' THEN '1'::jsonb WHEN 'date' THEN '\"2026-11-20\"'::jsonb WHEN 'checkbox' THEN 'true'::jsonb
      ELSE '\"Impresora del piso 4\"'::jsonb END), '{}')::text
    FROM services s, jsonb_array_elements(s.form_fields) f
    WHERE s.node_id = '$service' AND (f ->> 'required')::boolean AND f ->> 'type' <> 'file'")

  local queue="/tickets?view=my_groups&status=new,assigned,in_progress&sort=due&limit=50"
  local mine="/tickets?view=mine&status=new,assigned,in_progress,on_hold&sort=due&limit=50"
  local requests="/tickets?limit=20"
  local terms=(impresora "contrasena correo" vpn "no enciende" "sin conexion internet" "pantalla azul" escaner
    "certificado firma digital" "carpeta compartida" nomina "aire acondicionado" "fuga agua" "cuenta bloqueada" "red wifi"
    "placa 52341" "extension 4512")
  local search="" t
  for t in "${terms[@]}"; do search+="/tickets?q=${t// /+}&limit=50|"; done
  search=${search%|}
  local body="{\"service_id\":\"$service\",\"subject\":\"La impresora no imprime (bench #)\",\"description\":\"Buenos días. La impresora del piso 4 no imprime desde ayer. Ya reinicié el equipo y el problema persiste. Gracias.\",\"fields\":$fields}"

  local c1 c2 c3 c4 c5
  c1=$(check GET "$queue" "$agent")
  c2=$(check GET "$mine" "$agent")
  c3=$(check GET "$requests" "$requester")
  c4=$(check GET "/tickets?q=impresora&limit=50" "$agent")
  c5=$(check POST /tickets "$requester" "${body//#/0}")
  say "sanity (status, items): queue $c1, mine $c2, my requests $c3, search $c4, create $c5"
  say "queue of $AGENT: $(sql "SELECT count(*) FROM tickets t JOIN group_members m ON m.group_id = t.assigned_group_id JOIN users u ON u.id = m.user_id WHERE u.username = '$AGENT' AND t.status IN ('new','assigned','in_progress')") open cases in the groups; $REQUESTER requested $(sql "SELECT count(*) FROM tickets t JOIN users u ON u.id = t.requester_id WHERE u.username = '$REQUESTER'")"

  LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
  if awk -v l="$LOAD_BEFORE" 'BEGIN { exit !(l > 1.0) }'; then
    say "warning: load average $LOAD_BEFORE before the bench: other work on this machine skews the numbers"
  fi
  run_wrk "agent queue (my groups)" "$agent" 20 GET "$queue"
  QUEUE_RPS=$RPS
  # The same queue through an API token the agent made for themselves: what the token check costs.
  local agent_api_token
  agent_api_token=$(curl -fsS -H "Authorization: Bearer $agent" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["tickets:read"]}' "$BASE/api-tokens" | grep -o '"token":"[^"]*"' | cut -d'"' -f4) \
    || die "creating an API token for $AGENT failed"
  check GET "$queue" "$agent_api_token" >/dev/null
  run_wrk "agent queue, API token" "$agent_api_token" 20 GET "$queue"
  QUEUE_API_TOKEN_RPS=$RPS
  run_wrk "agent queue (mine)" "$agent" 20 GET "$mine"
  run_wrk "my requests (requester)" "$requester" 20 GET "$requests"
  run_wrk "full-text search (agent)" "$agent" 50 GET "$search"
  # The case page with its SLA view, as an agent opens it from the queue: 500 cases of their groups.
  sql "SELECT t.number FROM tickets t JOIN group_members m ON m.group_id = t.assigned_group_id JOIN users u ON u.id = m.user_id
    WHERE u.username = '$AGENT' ORDER BY t.id DESC LIMIT 500" >"$WORK/page-numbers.txt"
  [ -s "$WORK/page-numbers.txt" ] || die "no case in the groups of $AGENT to open"
  check GET "/tickets/$(head -1 "$WORK/page-numbers.txt")" "$agent" >/dev/null
  WRK_NUMBERS="$WORK/page-numbers.txt" WRK_WRAP=1
  run_wrk "case page (agent)" "$agent" 20 GET "/tickets/#"

  local before
  before=$(sql "SELECT coalesce(max(number), 0) FROM tickets")
  run_wrk "create ticket (requester)" "$requester" "" POST "/tickets" "$body"
  CREATE_RPS=$RPS

  # An action through the API: the agent the new cases were routed to takes them, each once.
  local assignee
  assignee=$(sql "SELECT u.username FROM tickets t JOIN users u ON u.id = t.assigned_agent_id
    WHERE t.number > $before AND t.status = 'assigned' GROUP BY u.username ORDER BY count(*) DESC LIMIT 1")
  [ -n "$assignee" ] || die "the created cases were not assigned to an agent"
  sql "SELECT t.number FROM tickets t JOIN users u ON u.id = t.assigned_agent_id
    WHERE t.number > $before AND t.status = 'assigned' AND u.username = '$assignee' ORDER BY t.number" >"$WORK/take-numbers.txt"
  say "take: $(wc -l <"$WORK/take-numbers.txt") new cases assigned to $assignee"
  local taker
  taker=$(login "$assignee")
  WRK_NUMBERS="$WORK/take-numbers.txt" WRK_DURATION=$((DURATION / 2 > 5 ? DURATION / 2 : 5))
  run_wrk "take a case (agent)" "$taker" "" POST "/tickets/#/take" "{}"
  ACTION_RPS=$RPS

  run_pgbench_register "$service" "$fields"
  run_pgbench_insert
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print 0 }'; }

# ratio_row NAME A B MIN_PERCENT|-
ratio_row() {
  local ratio verdict="-" target="-"
  ratio=$(percent "$2" "$3")
  if [ "$4" != - ]; then
    target=">= $4 %"
    if ((ratio >= $4)); then verdict=pass; else verdict=FAIL; FAILED=1; fi
  fi
  printf '%-28s %10s %8s %8s %8s  %-26s %-6s\n' "$1" "$ratio %" "" "" "" "$target" "$verdict"
}

print_table() {
  printf '\n== ticket API bench: %s cases, %s clients, %ss per scenario, %s cores, load average before %s ==\n' \
    "$N" "$CONNECTIONS" "$DURATION" "$(nproc)" "$LOAD_BEFORE"
  printf '%-28s %10s %8s %8s %8s  %-26s %-6s %s\n' scenario "req/s" "p50 ms" "p90 ms" "p99 ms" target result "other CPU"
  printf '%s\n' "${ROWS[@]}"
  ratio_row "queue: API token / login" "$QUEUE_API_TOKEN_RPS" "$QUEUE_RPS" 90
  ratio_row "create / register_ticket()" "$CREATE_RPS" "$REGISTER_TPS" 60
  ratio_row "create / one-row insert" "$CREATE_RPS" "$PGBENCH_TPS" -
  ratio_row "take / create" "$ACTION_RPS" "$CREATE_RPS" 50
  [ -z "$LOAD_SECS" ] || printf 'load: %s cases in %s (mesa-bench-seed)\n' "$N" "$(fmt_secs "$LOAD_SECS")"
}

stage tools need_tools
stage build build
stage postgres bench_pg_start
stage data prepare_db
stage server start_server
stage warm-up warm_up
stage bench scenarios
print_table
if [ "$FAILED" = 1 ]; then
  printf 'bench: a target was missed\n'
  exit 1
fi
printf 'bench: every target met\n'
