#!/usr/bin/env bash
# scripts/test.sh — `make test`: every test, stopping at the first failure, with a
# summary of the stages and their durations at the end.
#   deps      scripts/deps.sh test
#   postgres  private cluster with fsync=off (unless DATABASE_URL is set)
#   lint      cargo fmt --check; cargo clippy -D warnings (rustup adds the components if missing)
#   rust      cargo test --workspace  (MESA_TEST_DATABASE_URL = admin URL of that server;
#             MESA_TEST_PYTHON = .data/venv's Python, with aiosmtpd for the mail tests)
#   openapi   `mesa openapi` is valid OpenAPI 3.1 (openapi-spec-validator) and passes Redocly's lint (openapi/redocly.yaml)
#   examples  the Python client generated from openapi/openapi.json (openapi-python-client, into
#             .data/python-client) and examples/*.py run against a throwaway server, with a scoped
#             API token
#             (examples/test_examples.py checks what they did through the API)
#   frontend  npm ci (when needed), npm test, npm run build
#   e2e       mesa serve on 127.0.0.1:18080 + demo slapd; npm run e2e (headless Chromium)
#   fuzz      Schemathesis against a throwaway server, from its OpenAPI document, as a requester,
#             with a scoped API token and as an admin: no 5xx, no answer outside the document
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

E2E_PORT=${MESA_E2E_PORT:-18080}
E2E_DB=mesa_e2e
E2E_LOG="$DATA_DIR/e2e-server.log"
E2E_LDAP_DIR="$DATA_DIR/e2e-ldap"
VENV="$DATA_DIR/venv"
# Python tools of the test command, installed from PyPI into .data/venv (aiosmtpd: the SMTP
# server the Rust tests start to receive Mesa's mail; openapi-python-client: the generator of
# the examples' client).
VENV_REQUIREMENTS=('openapi-spec-validator~=0.9.0' 'schemathesis~=4.32.0' 'aiosmtpd~=1.4.6' "$PYTHON_CLIENT_GENERATOR")
EXAMPLES_DB=${MESA_EXAMPLES_DB:-mesa_examples}
EXAMPLES_LOG="$DATA_DIR/examples-server.log"
FUZZ_DB=mesa_fuzz
FUZZ_LOG="$DATA_DIR/fuzz-server.log"
# Seconds of fuzzing as the requester and as the admin (half that with the scoped API token).
FUZZ_SECONDS=${MESA_FUZZ_SECONDS:-120}

on_exit 'print_stage_summary "$EXIT_RC"'

postgres_stage() {
  pg_start test
  if [ "$PG_STARTED_BY_US" = 1 ]; then on_exit pg_stop; fi
}

lint_stage() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add rustfmt clippy
  fi
  cargo fmt --all --check
  cargo clippy --workspace --all-targets --locked -- -D warnings
}

rust_stage() {
  # The mail tests start aiosmtpd with this Python (backend/tests/api/support/smtp.rs).
  venv_install
  say "MESA_TEST_DATABASE_URL=$PG_SERVER_URL MESA_TEST_PYTHON=$VENV/bin/python"
  MESA_TEST_DATABASE_URL="$PG_SERVER_URL" MESA_TEST_PYTHON="$VENV/bin/python" cargo test --workspace
  # cargo test built target/debug/mesa for the integration tests; the next stages use it.
  [ -x "$MESA_BIN" ] || cargo_build
}

venv_install() {
  local want="${VENV_REQUIREMENTS[*]}"
  if [ "$(cat "$VENV/.requirement" 2>/dev/null)" != "$want" ] \
    || ! "$VENV/bin/python" -c 'import openapi_spec_validator, schemathesis, aiosmtpd, openapi_python_client' >/dev/null 2>&1; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "${VENV_REQUIREMENTS[@]}"
    echo "$want" >"$VENV/.requirement"
    say "installed $want in .data/venv"
  fi
}

openapi_stage() {
  venv_install
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
  # Redocly's linter (pinned in frontend/'s devDependencies), with openapi/redocly.yaml's rules.
  frontend_install
  REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true frontend/node_modules/.bin/redocly lint "$spec" --config openapi/redocly.yaml
}

examples_stage() {
  venv_install
  python_client_install "$VENV"
  local port db_url base
  port=$(free_port)
  base="http://127.0.0.1:$port"
  recreate_db "$PG_SERVER_URL" "$EXAMPLES_DB"
  db_url=$(url_with_db "$PG_SERVER_URL" "$EXAMPLES_DB")
  rm -rf "$DATA_DIR/examples-attachments"
  local -a server_env=(
    "DATABASE_URL=$db_url"
    "MESA_BIND=127.0.0.1:$port"
    "MESA_PUBLIC_URL=$base"
    "MESA_JWT_SECRET=$(random_secret)"
    "MESA_ACCESS_TOKEN_TTL=3600"
    "MESA_ATTACHMENTS_DIR=$DATA_DIR/examples-attachments"
    "RUST_LOG=${RUST_LOG:-warn}"
  )
  env "${server_env[@]}" "$MESA_BIN" migrate >/dev/null
  env "${server_env[@]}" "$MESA_BIN" seed --demo >/dev/null
  env "${server_env[@]}" "$MESA_BIN" serve >"$EXAMPLES_LOG" 2>&1 &
  local pid=$!
  on_exit "stop_pid $pid"
  wait_http "$base/api/v1/health" 60 "$pid" "$EXAMPLES_LOG"
  say "examples server on $base (log: .data/examples-server.log)"
  # As an integration would: an API token with the scopes the scripts need, acting as the admin
  # (whose role reaches every desk). The test moves some closings a week back (there is no API to
  # close a case in the past), with this database URL and psql.
  local token
  token=$(api_token "$base" "$(access_token "$base" admin 'MesaDemo2026!')" examples \
    '["tickets:read","tickets:write","catalog:read","users:read","reports:read"]')
  MESA_URL="$base" MESA_TOKEN="$token" \
    MESA_EXAMPLES_DATABASE_URL="$db_url" MESA_EXAMPLES_PSQL="$(psql_path)" \
    "$VENV/bin/python" examples/test_examples.py -v
}

frontend_stage() {
  frontend_install
  (cd frontend && npm run lint && npm test)
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
    # Browser tests run many pages from one address in a few seconds.
    "MESA_RATE_LIMIT_PER_TOKEN=0"
    "MESA_RATE_LIMIT_PER_ADDRESS=0"
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

# access_token URL USER PASSWORD: logs in and prints the access token.
access_token() {
  curl -fsS -X POST "$1/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"username\":\"$2\",\"password\":\"$3\"}" \
    | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# fuzz_run LABEL TOKEN SECONDS: Schemathesis against the fuzz server, with one bearer token.
fuzz_run() {
  say "fuzzing $1 for ${3}s"
  # From .data/, where Schemathesis keeps its cache. One worker: with two threads, Hypothesis
  # parses source concurrently and CPython 3.11 can fail with "AST constructor recursion depth
  # mismatch" (python/cpython#106905), a Runtime Error that failed a CI run.
  (cd "$DATA_DIR" && "$VENV/bin/st" run "$FUZZ_BASE/api/openapi.json" \
    -H "Authorization: Bearer $2" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --exclude-path /api/v1/auth/logout \
    --max-time "$3" --workers 1 --seed 2026)
}

# api_token URL ACCESS_TOKEN NAME SCOPES_JSON: creates an API token and prints its secret.
api_token() {
  curl -fsS -X POST "$1/api/v1/api-tokens" -H "Authorization: Bearer $2" -H 'content-type: application/json' \
    -d "{\"name\":\"$3\",\"scopes\":$4}" \
    | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

fuzz_stage() {
  venv_install
  local port db_url base
  port=$(free_port)
  base="http://127.0.0.1:$port"
  recreate_db "$PG_SERVER_URL" "$FUZZ_DB"
  db_url=$(url_with_db "$PG_SERVER_URL" "$FUZZ_DB")
  local -a server_env=(
    "DATABASE_URL=$db_url"
    "MESA_BIND=127.0.0.1:$port"
    "MESA_PUBLIC_URL=$base"
    "MESA_JWT_SECRET=$(random_secret)"
    # The tokens must outlast the run; the fuzzer's failed logins must not lock out its accounts.
    "MESA_ACCESS_TOKEN_TTL=3600"
    # Per account too: the contract's examples and the users the fuzzer reads back (admin,
    # lucia.martinez) send it to /auth/login with real usernames and wrong passwords.
    "MESA_LOGIN_MAX_FAILURES=1000000"
    "MESA_LOGIN_MAX_FAILURES_PER_IP=1000000"
    # The fuzzer sends thousands of requests a minute from one address with one token.
    "MESA_RATE_LIMIT_PER_TOKEN=0"
    "MESA_RATE_LIMIT_PER_ADDRESS=0"
    "MESA_ATTACHMENTS_DIR=$DATA_DIR/fuzz-attachments"
    # Every request is logged: the stage counts them and looks for 5xx answers.
    "RUST_LOG=warn,actix_web::middleware::logger=info"
  )
  env "${server_env[@]}" "$MESA_BIN" migrate >/dev/null
  env "${server_env[@]}" "$MESA_BIN" seed --demo >/dev/null
  env "${server_env[@]}" "$MESA_BIN" serve >"$FUZZ_LOG" 2>&1 &
  local pid=$!
  on_exit "stop_pid $pid"
  wait_http "$base/api/v1/health" 60 "$pid" "$FUZZ_LOG"
  say "fuzz server on $base (log: .data/fuzz-server.log)"
  FUZZ_BASE=$base

  # Every token is taken before fuzzing starts: a fuzz run may lock or change the accounts.
  # The API token is limited to reading and writing cases and reading the catalog: with it every
  # other operation must answer 403 `insufficient_scope`, as the document declares.
  local who requests server_errors scoped
  declare -A tokens
  for who in lucia.martinez admin; do
    tokens[$who]=$(access_token "$base" "$who" 'MesaDemo2026!')
  done
  scoped=$(api_token "$base" "${tokens[admin]}" fuzz '["tickets:read","tickets:write","catalog:read"]')
  # The admin last: its run deactivates and edits accounts, and may revoke API tokens. Logging
  # out would end the fuzzer's own session.
  fuzz_run "as lucia.martinez" "${tokens[lucia.martinez]}" "$FUZZ_SECONDS"
  fuzz_run "with a scoped API token" "$scoped" "$((FUZZ_SECONDS / 2))"
  fuzz_run "as admin" "${tokens[admin]}" "$FUZZ_SECONDS"
  requests=$(grep -c 'middleware::logger' "$FUZZ_LOG" || true)
  server_errors=$(grep -E 'middleware::logger.*" 5[0-9]{2} ' "$FUZZ_LOG" || true)
  say "fuzz: the server answered $requests requests"
  if [ -n "$server_errors" ]; then
    head -20 <<<"$server_errors" >&2
    die "the server answered 5xx during fuzzing"
  fi
}

stage deps bash scripts/deps.sh test
stage lint lint_stage
stage postgres postgres_stage
stage rust rust_stage
stage openapi openapi_stage
stage examples examples_stage
stage frontend frontend_stage
stage e2e e2e_stage
stage fuzz fuzz_stage
