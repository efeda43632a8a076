#!/usr/bin/env bash
# scripts/run.sh — `make run`: Mesa with demo data on http://127.0.0.1:8080 (MESA_BIND).
# Ctrl-C stops Mesa; the private Postgres and the demo slapd keep running (`make stop`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash scripts/deps.sh run

# Database: the private cluster (.data/pg, 127.0.0.1:$PG_PORT) unless DATABASE_URL is set.
pg_start run
if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL
  DATABASE_URL=$(url_with_db "$PG_SERVER_URL" mesa)
fi
run_db=$(db_of_url "$DATABASE_URL")
[ -n "$run_db" ] || die "DATABASE_URL names no database"
ensure_db "$PG_SERVER_URL" "$run_db"

say "building the backend (cargo build, dev profile)"
cargo_build

say "building the frontend"
frontend_install
frontend_build

# Directory: the demo slapd unless MESA_LDAP_URL points at a real one.
if [ -z "${MESA_LDAP_URL:-}" ]; then
  ldap_port=${MESA_DEMO_LDAP_PORT:-3389}
  ldap_start "$DATA_DIR/ldap" "$ldap_port"
  while IFS= read -r kv; do export "${kv?}"; done < <(ldap_env "$ldap_port")
fi

if [ -z "${MESA_JWT_SECRET:-}" ]; then
  export MESA_JWT_SECRET
  MESA_JWT_SECRET=$(jwt_secret)
fi

export MESA_BIND="${MESA_BIND:-127.0.0.1:8080}"
export MESA_SPA_DIR="${MESA_SPA_DIR:-$MESA_ROOT/frontend/dist}"

"$MESA_BIN" migrate
"$MESA_BIN" seed --demo

cat <<BANNER

  Mesa: http://$MESA_BIND   (API docs: http://$MESA_BIND/api/docs)
  Demo accounts: admin / MesaDemo2026!  ·  directory: maria.gomez / Clave.Maria1
  Ctrl-C stops Mesa; \`make stop\` also stops the private Postgres and the demo directory.

BANNER
exec "$MESA_BIN" serve
