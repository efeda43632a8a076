#!/usr/bin/env bash
# tests/bench/mailbox.sh — mailbox intake speed: messages per second read from a Dovecot mailbox
# of N messages (default 1,000) by one job runner into a test database; prints a table.
# Not a timed test: CI does not run it. Needs what `make test` needs (Postgres, dovecot-imapd).
#   N=5000 bash tests/bench/mailbox.sh
#   PROFILE=release bash tests/bench/mailbox.sh   # release build (slower to build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/lib.sh
export MAILBOX_BENCH_N=${N:-1000}
if [ -z "${MESA_TEST_DATABASE_URL:-}" ]; then
  if [ -n "${DATABASE_URL:-}" ]; then
    export MESA_TEST_DATABASE_URL=$DATABASE_URL
  else
    die "set MESA_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:55432/postgres, the private cluster of make test)"
  fi
fi
profile=()
[ "${PROFILE:-dev}" = release ] && profile=(--release)
cargo test "${profile[@]}" -p mesa --test api -- --ignored --exact mailbox::bench_intake --nocapture 2>&1 | grep -E '^\||^\(seeding|test result'
