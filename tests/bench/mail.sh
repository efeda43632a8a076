#!/usr/bin/env bash
# tests/bench/mail.sh — how fast the outbox drains: mails delivered per second to a local SMTP sink
# (aiosmtpd with its Maildir handler, as in the tests) from a backlog of N pending mails.
#
# Loads the demo data into a fresh database, queues N rendered mails in the outbox (one SQL
# statement: copies of one registration receipt with their own ids, addresses and Message-IDs), starts `mesa worker`
# with MESA_SMTP_URL at the sink, and times until every mail is `sent`; then checks the sink holds
# exactly N messages (none twice). Not a pass/fail test: it prints one table. Everything it starts
# is stopped on exit.
#
# Environment:
#   N=10000              mails in the backlog
#   MESA_BENCH_BIN       the mesa binary (default: target/debug/mesa, built if missing; a debug
#                        build measures less than a release one)
#   DATABASE_URL         a Postgres server to use (default: the private cluster, as `make test`)
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

N=${N:-10000}
[[ "$N" =~ ^[0-9]+$ ]] || die "N must be a number"
BIN=${MESA_BENCH_BIN:-$MESA_BIN}
PY="$DATA_DIR/venv/bin/python"
WORK="$DATA_DIR/bench-mail"
DB=mesa_bench_mail

[ -x "$BIN" ] || cargo_build
if ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m venv "$DATA_DIR/venv"
  "$DATA_DIR/venv/bin/pip" install --quiet --disable-pip-version-check 'aiosmtpd~=1.4.6'
fi

pg_start test
if [ "$PG_STARTED_BY_US" = 1 ]; then on_exit pg_stop; fi
recreate_db "$PG_SERVER_URL" "$DB"
DB_URL=$(url_with_db "$PG_SERVER_URL" "$DB")
on_exit "PGOPTIONS='-c client_min_messages=warning' psql_cmd '$PG_SERVER_URL' -c 'DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)' >/dev/null"

rm -rf "$WORK" && mkdir -p "$WORK"
SMTP_PORT=$(free_port)
"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/maildir" >"$WORK/aiosmtpd.log" 2>&1 &
SINK=$!
on_exit "stop_pid $SINK"
for _ in $(seq 100); do port_in_use "$SMTP_PORT" && break; sleep 0.1; done
port_in_use "$SMTP_PORT" || die "aiosmtpd did not start (log: $WORK/aiosmtpd.log)"

export DATABASE_URL="$DB_URL" MESA_PUBLIC_URL="https://mesa.example.gov.co" RUST_LOG=warn
"$BIN" migrate >/dev/null
"$BIN" seed --demo >/dev/null

# One mail as Mesa stores it (a registration's receipt, with a realistic body size).
TEMPLATE_ID=$(psql_cmd "$DB_URL" -Atc "SELECT gen_random_uuid()")
psql_cmd "$DB_URL" -c "
INSERT INTO outbox (id, kind, to_address, from_address, locale, subject, body_text, body_html, message_id, state, next_attempt_at)
VALUES ('$TEMPLATE_ID', 'registered', 'lucia.martinez@example.gov.co', '\"Mesa TIC\" <mesa@example.gov.co>', 'es',
        '[Mesa #1] Caso registrado: El equipo no enciende',
        repeat('Su solicitud quedó registrada con el número 1. ', 12),
        '<!DOCTYPE html><html><body>' || repeat('<p>Su solicitud quedó registrada con el número <strong>1</strong>.</p>', 12) || '</body></html>',
        '<mesa.1.template@mesa.example.gov.co>', 'sent', now())" >/dev/null
# The backlog: N copies with their own ids and Message-IDs, all due now.
psql_cmd "$DB_URL" -c "
INSERT INTO outbox (id, kind, ticket_number, to_address, from_address, locale, subject, body_text, body_html, message_id, thread_id, next_attempt_at)
SELECT gen_random_uuid(), o.kind, i, 'user' || i || '@example.gov.co', o.from_address, o.locale, replace(o.subject, '#1]', '#' || i || ']'),
       o.body_text, o.body_html, '<mesa.' || i || '.' || md5(i::text) || '@mesa.example.gov.co>', '<mesa.' || i || '@mesa.example.gov.co>', now()
FROM outbox o, generate_series(1, $N) i WHERE o.id = '$TEMPLATE_ID'" >/dev/null
psql_cmd "$DB_URL" -c "DELETE FROM outbox WHERE id = '$TEMPLATE_ID'" >/dev/null

say "backlog: $N pending mails; mesa worker → aiosmtpd on 127.0.0.1:$SMTP_PORT ($BIN)"
START=$(date +%s.%N)
MESA_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")" MESA_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" "$BIN" worker >"$WORK/worker.log" 2>&1 &
WORKER=$!
on_exit "stop_pid $WORKER"
while :; do
  SENT=$(psql_cmd "$DB_URL" -Atc "SELECT count(*) FROM outbox WHERE state = 'sent'")
  [ "$SENT" -ge "$N" ] && break
  kill -0 "$WORKER" 2>/dev/null || die "mesa worker stopped (log: $WORK/worker.log)"
  sleep 0.2
done
END=$(date +%s.%N)
stop_pid "$WORKER"
FAILED=$(psql_cmd "$DB_URL" -Atc "SELECT count(*) FROM outbox WHERE state = 'failed'")
RECEIVED=$(find "$WORK/maildir/new" -type f | wc -l)
UNIQUE_IDS=$(grep -h -m1 '^Message-ID:' "$WORK"/maildir/new/* | sort -u | wc -l)
SECS=$(awk -v a="$START" -v b="$END" 'BEGIN { print b - a }')
RATE=$(awk -v n="$N" -v s="$SECS" 'BEGIN { print n / s }')

printf '\n%-42s %s\n' "measure" "value"
printf '%-42s %s\n' "backlog (mails)" "$N"
printf '%-42s %s\n' "binary" "$BIN"
printf '%-42s %.1f s\n' "time to drain (worker start → all sent)" "$SECS"
printf '%-42s %.0f mails/s\n' "delivered per second" "$RATE"
printf '%-42s %s\n' "received by the sink" "$RECEIVED"
printf '%-42s %s\n' "distinct Message-IDs received" "$UNIQUE_IDS"
printf '%-42s %s\n' "failed" "$FAILED"
[ "$RECEIVED" -eq "$N" ] && [ "$UNIQUE_IDS" -eq "$N" ] || die "the sink holds $RECEIVED messages ($UNIQUE_IDS distinct), expected $N"
