#!/usr/bin/env bash
# scripts/stop.sh — `make stop`: stop the private Postgres and the demo directories
# started by `make run` / `make test` (never the system Postgres).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ldap_stop "$DATA_DIR/ldap"
ldap_stop "$DATA_DIR/e2e-ldap"
pg_stop
say "stopped (data kept in .data/; \`make clean\` removes it)"
