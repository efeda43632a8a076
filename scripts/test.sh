#!/usr/bin/env bash
# scripts/test.sh — `make test`: every test, stopping at the first failure, with a
# summary of the stages and their durations at the end.
#   deps      scripts/deps.sh test
#   postgres  private cluster with fsync=off (unless DATABASE_URL is set)
#   rust      cargo test --workspace  (MESA_TEST_DATABASE_URL = admin URL of that server)
#   openapi   `mesa openapi` is valid OpenAPI 3.1 (openapi-spec-validator)
#   frontend  npm ci (when needed), npm test, npm run build
#   e2e       mesa serve on 127.0.0.1:18080 + demo slapd; npm run e2e (headless Chromium)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2E_PORT=${MESA_E2E_PORT:-18080}
E2E_DB=mesa_e2e
E2E_LOG="$DATA_DIR/e2e-server.log"
E2E_LDAP_DIR="$DATA_DIR/e2e-ldap"
VENV="$DATA_DIR/venv"

on_exit 'print_stage_summary "$EXIT_RC"'

postgres_stage() {
  pg_start test
  if [ "$PG_STARTED_BY_US" = 1 ]; then on_exit pg_stop; fi
}

rust_stage() {
  say "MESA_TEST_DATABASE_URL=$PG_SERVER_URL"
  MESA_TEST_DATABASE_URL="$PG_SERVER_URL" cargo test --workspace
  # cargo test built target/debug/mesa for the integration tests; the next stages use it.
  [ -x "$MESA_BIN" ] || cargo_build
}

openapi_stage() {
  local req='openapi-spec-validator~=0.9.0'
  if [ "$(cat "$VENV/.requirement" 2>/dev/null)" != "$req" ] \
    || ! "$VENV/bin/python" -c 'import openapi_spec_validator' >/dev/null 2>&1; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "$req"
    echo "$req" >"$VENV/.requirement"
    say "installed $req in .data/venv"
  fi
  local spec
  spec=$(mktemp --suffix=.json /tmp/mesa-openapi.XXXXXX)
  on_exit "rm -f '$spec'"
  "$MESA_BIN" openapi >"$spec"
  "$VENV/bin/python" - "$spec" <<'PY'
import json, sys
version = json.load(open(sys.argv[1])).get("openapi", "")
if not version.startswith("3.1."):
    sys.exit(f"`mesa openapi` declares openapi {version!r}; expected 3.1.x")
PY
  "$VENV/bin/openapi-spec-validator" --schema 3.1 --validation-errors all "$spec"
}

frontend_stage() {
  frontend_install
  (cd frontend && npm test)
  frontend_build
}

e2e_stage() {
  port_in_use "$E2E_PORT" && die "127.0.0.1:$E2E_PORT is in use (set MESA_E2E_PORT)"
  local db_url ldap_port
  recreate_db "$PG_SERVER_URL" "$E2E_DB"
  db_url=$(url_with_db "$PG_SERVER_URL" "$E2E_DB")

  ldap_stop "$E2E_LDAP_DIR" # one left over by an interrupted run
  rm -rf "$E2E_LDAP_DIR"
  ldap_port=$(free_port)
  on_exit "ldap_stop '$E2E_LDAP_DIR'"
  ldap_start "$E2E_LDAP_DIR" "$ldap_port"

  local -a server_env
  mapfile -t server_env < <(ldap_env "$ldap_port")
  server_env+=(
    "DATABASE_URL=$db_url"
    "MESA_BIND=127.0.0.1:$E2E_PORT"
    "MESA_PUBLIC_URL=http://127.0.0.1:$E2E_PORT"
    "MESA_SPA_DIR=$MESA_ROOT/frontend/dist"
    "MESA_JWT_SECRET=$(random_secret)"
    "RUST_LOG=${RUST_LOG:-info}"
  )
  env "${server_env[@]}" "$MESA_BIN" migrate
  env "${server_env[@]}" "$MESA_BIN" seed --demo
  env "${server_env[@]}" "$MESA_BIN" serve >"$E2E_LOG" 2>&1 &
  local pid=$!
  on_exit "stop_pid $pid"
  wait_http "http://127.0.0.1:$E2E_PORT/api/v1/health" 60 "$pid" "$E2E_LOG"
  say "e2e server on http://127.0.0.1:$E2E_PORT (log: .data/e2e-server.log)"

  (cd frontend && MESA_BASE_URL="http://127.0.0.1:$E2E_PORT" \
    MESA_E2E_CHROMIUM="${MESA_E2E_CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}" npm run e2e)
  say "screenshots: frontend/test-results/screenshots/"
}

stage deps bash scripts/deps.sh test
stage postgres postgres_stage
stage rust rust_stage
stage openapi openapi_stage
stage frontend frontend_stage
stage e2e e2e_stage
