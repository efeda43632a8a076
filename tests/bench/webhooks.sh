#!/usr/bin/env bash
# tests/bench/webhooks.sh — how fast the webhook outbox drains: deliveries per second to a local
# receiver from a backlog of N pending deliveries.
#
# Loads the demo data into a fresh database, allows 127.0.0.1 past the SSRF guard, subscribes one
# webhook to a local receiver (Python's standard-library HTTP server, threaded, answering 204 and
# appending each Mesa-Delivery id to a file), queues N deliveries with a realistic case payload
# (one SQL statement), starts `mesa worker`, and times until every delivery is `delivered`; then
# checks the receiver saw exactly N distinct deliveries. Not a pass/fail test: it prints one
# table. Everything it starts is stopped on exit.
#
# Environment:
#   N=10000              deliveries in the backlog
#   MESA_BENCH_BIN       the mesa binary (default: target/debug/mesa, built if missing; a debug
#                        build measures less than a release one)
#   DATABASE_URL         a Postgres server to use (default: the private cluster, as `make test`)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

N=${N:-10000}
[[ "$N" =~ ^[0-9]+$ ]] || die "N must be a number"
BIN=${MESA_BENCH_BIN:-$MESA_BIN}
WORK="$DATA_DIR/bench-webhooks"
DB=mesa_bench_webhooks

[ -x "$BIN" ] || cargo_build

pg_start test
if [ "$PG_STARTED_BY_US" = 1 ]; then on_exit pg_stop; fi
recreate_db "$PG_SERVER_URL" "$DB"
DB_URL=$(url_with_db "$PG_SERVER_URL" "$DB")
on_exit "PGOPTIONS='-c client_min_messages=warning' psql_cmd '$PG_SERVER_URL' -c 'DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)' >/dev/null"

rm -rf "$WORK" && mkdir -p "$WORK"
PORT=$(free_port)
cat >"$WORK/receiver.py" <<'PY'
import http.server, sys
port, out = int(sys.argv[1]), open(sys.argv[2], "a", buffering=1)
class Hook(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        out.write(self.headers["Mesa-Delivery"] + "\n")
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Hook).serve_forever()
PY
python3 "$WORK/receiver.py" "$PORT" "$WORK/received.txt" >"$WORK/receiver.log" 2>&1 &
RECEIVER=$!
on_exit "stop_pid $RECEIVER"
for _ in $(seq 100); do port_in_use "$PORT" && break; sleep 0.1; done
port_in_use "$PORT" || die "the receiver did not start (log: $WORK/receiver.log)"

export DATABASE_URL="$DB_URL" MESA_PUBLIC_URL="https://mesa.example.gov.co" RUST_LOG=warn
"$BIN" migrate >/dev/null
"$BIN" seed --demo >/dev/null

HOOK_ID=$(psql_cmd "$DB_URL" -Atc "SELECT gen_random_uuid()")
psql_cmd "$DB_URL" -c "
INSERT INTO webhook_allowed_hosts (host) VALUES ('127.0.0.1');
INSERT INTO webhooks (id, url, events, secret) VALUES ('$HOOK_ID', 'http://127.0.0.1:$PORT/hook', '{case.registered}', 'whsec_bench');
INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload)
SELECT gen_random_uuid(), '$HOOK_ID', e, 'case.registered',
       jsonb_build_object('id', e, 'type', 'case.registered', 'occurred_at', now(),
         'data', jsonb_build_object('ticket', jsonb_build_object('number', i, 'subject', 'El equipo no enciende',
           'description', repeat('El equipo de la oficina 204 no enciende desde esta mañana. ', 20), 'status', 'new', 'priority', 'medium')))
FROM (SELECT i, gen_random_uuid() AS e FROM generate_series(1, $N) i) s" >/dev/null

say "backlog: $N pending deliveries; mesa worker → receiver on 127.0.0.1:$PORT ($BIN)"
START=$(date +%s.%N)
MESA_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")" "$BIN" worker >"$WORK/worker.log" 2>&1 &
WORKER=$!
on_exit "stop_pid $WORKER"
while :; do
  DONE=$(psql_cmd "$DB_URL" -Atc "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'")
  [ "$DONE" -ge "$N" ] && break
  kill -0 "$WORKER" 2>/dev/null || die "mesa worker stopped (log: $WORK/worker.log)"
  sleep 0.2
done
END=$(date +%s.%N)
stop_pid "$WORKER"
FAILED=$(psql_cmd "$DB_URL" -Atc "SELECT count(*) FROM webhook_deliveries WHERE state <> 'delivered' OR attempts <> 1")
RECEIVED=$(wc -l <"$WORK/received.txt")
UNIQUE_IDS=$(sort -u "$WORK/received.txt" | wc -l)
SECS=$(awk -v a="$START" -v b="$END" 'BEGIN { print b - a }')
RATE=$(awk -v n="$N" -v s="$SECS" 'BEGIN { print n / s }')

printf '\n%-44s %s\n' "measure" "value"
printf '%-44s %s\n' "backlog (deliveries)" "$N"
printf '%-44s %s\n' "binary" "$BIN"
printf '%-44s %.1f s\n' "time to drain (worker start → all delivered)" "$SECS"
printf '%-44s %.0f deliveries/s\n' "delivered per second" "$RATE"
printf '%-44s %s\n' "requests received" "$RECEIVED"
printf '%-44s %s\n' "distinct Mesa-Delivery ids received" "$UNIQUE_IDS"
printf '%-44s %s\n' "not delivered at the first attempt" "$FAILED"
[ "$RECEIVED" -eq "$N" ] && [ "$UNIQUE_IDS" -eq "$N" ] || die "the receiver saw $RECEIVED requests ($UNIQUE_IDS distinct), expected $N"
