# shellcheck shell=bash disable=SC2034
# scripts/lib.sh — the stages shared by run.sh, test.sh, stop.sh and deps.sh.
# Source it (it is not a program): it sets strict mode and cds to the repo root.
set -euo pipefail

MESA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$MESA_ROOT"

DATA_DIR="$MESA_ROOT/.data"
PG_PORT="${MESA_PG_PORT:-55432}"
CARGO_TARGET="${CARGO_TARGET_DIR:-$MESA_ROOT/target}"
case "$CARGO_TARGET" in /*) ;; *) CARGO_TARGET="$MESA_ROOT/$CARGO_TARGET" ;; esac
MESA_BIN="$CARGO_TARGET/debug/mesa"

# The demo directory (deploy/ldap/demo-directory.ldif).
LDAP_CTL="$MESA_ROOT/deploy/ldap/demo-slapd.sh"
LDAP_DEMO_BIND_DN="cn=svc-mesa,ou=services,dc=mesa,dc=local"
LDAP_DEMO_BIND_PASSWORD="svc-mesa-demo"
LDAP_DEMO_BASE_DN="ou=people,dc=mesa,dc=local"

# A non-login shell (CI) may not have rustup's bin dir on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-${HOME:-/root}/.cargo}/bin/cargo" ]; then
  PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"
fi
PATH="$PATH:/usr/sbin:/sbin"
export PATH

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Exit hooks (run in reverse order of registration) and timed stages.

# A hook may read EXIT_RC, the status the script is exiting with.
_EXIT_HOOKS=()
EXIT_RC=0
on_exit() { _EXIT_HOOKS+=("$1"); }
_run_exit_hooks() {
  EXIT_RC=$?
  local i
  for ((i = ${#_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
    eval "${_EXIT_HOOKS[i]}" || true
  done
}
trap _run_exit_hooks EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

_STAGE_NAMES=()
_STAGE_SECS=()
_STAGE_CURRENT=""
_STAGE_T0=0

fmt_secs() { # 75 -> 1m15s
  local s=$1
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# stage NAME COMMAND...: runs COMMAND in this shell (so it may set variables), timed.
stage() {
  local name=$1
  shift
  _STAGE_CURRENT=$name
  _STAGE_T0=$SECONDS
  printf '\n==> [%s]\n' "$name"
  "$@"
  _STAGE_NAMES+=("$name")
  _STAGE_SECS+=($((SECONDS - _STAGE_T0)))
  _STAGE_CURRENT=""
}

# Printed at exit by test.sh: every finished stage with its duration, and the failed one.
print_stage_summary() {
  local rc=$1 i
  printf '\n== summary ==\n'
  for i in "${!_STAGE_NAMES[@]}"; do
    printf '  %-10s %8s  ok\n' "${_STAGE_NAMES[i]}" "$(fmt_secs "${_STAGE_SECS[i]}")"
  done
  if [ -n "$_STAGE_CURRENT" ]; then
    printf '  %-10s %8s  FAILED\n' "$_STAGE_CURRENT" "$(fmt_secs $((SECONDS - _STAGE_T0)))"
  fi
  printf '  %-10s %8s\n' total "$(fmt_secs "$SECONDS")"
  if [ "$rc" -eq 0 ] && [ -z "$_STAGE_CURRENT" ]; then
    printf 'make test: every stage passed\n'
  else
    printf 'make test: FAILED%s (exit %s)\n' "${_STAGE_CURRENT:+ in stage $_STAGE_CURRENT}" "$rc"
  fi
  # The plain closing line CI reads; counts stages (each stage prints its own test counts).
  printf 'stages: %d passed, %d failed\n' "${#_STAGE_NAMES[@]}" "$([ -n "$_STAGE_CURRENT" ] || [ "$rc" -ne 0 ] && echo 1 || echo 0)"
}

# ---------------------------------------------------------------------------
# Small helpers.

# url_with_db URL DB: the same server URL with its database name replaced.
url_with_db() {
  local url=$1 db=$2 base query="" rest
  base=${url%%\?*}
  [ "$base" = "$url" ] || query="?${url#*\?}"
  rest=${base#*://}
  if [[ "$rest" == */* ]]; then base=${base%/*}; fi
  printf '%s/%s%s\n' "$base" "$db" "$query"
}

# db_of_url URL: the database name of a postgres:// URL.
db_of_url() {
  local base=${1%%\?*} rest
  rest=${base#*://}
  if [[ "$rest" == */* ]]; then printf '%s\n' "${rest##*/}"; else printf '\n'; fi
}

random_secret() { head -c 48 /dev/urandom | base64 | tr -d '\n/+='; }

# free_port: a TCP port on 127.0.0.1 nobody listens on.
free_port() {
  local p _
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  die "no free TCP port found"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  local pid=$1 _
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# wait_http URL TIMEOUT PID LOG: wait until URL answers 2xx; fail (showing LOG) on
# timeout or when PID exits first.
wait_http() {
  local url=$1 timeout=$2 pid=$3 log=$4 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      printf -- '--- %s ---\n' "$log" >&2
      cat "$log" >&2 || true
      die "the server exited before $url answered"
    fi
    sleep 0.25
  done
  printf -- '--- %s ---\n' "$log" >&2
  cat "$log" >&2 || true
  die "$url did not answer within ${timeout}s"
}

# ---------------------------------------------------------------------------
# Postgres: a private cluster under .data/pg on 127.0.0.1:$PG_PORT, unless DATABASE_URL is set.

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] || die "no Postgres server binaries in /usr/lib/postgresql/*/bin (run scripts/deps.sh)"
  printf '%s\n' "$d"
}

psql_path() { # the psql psql_cmd runs
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$d" ] && [ -x "$d/psql" ]; then printf '%s\n' "$d/psql"; else command -v psql; fi
}

psql_cmd() { # psql from the server's bin dir when there is one, else from PATH
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$d" ] && [ -x "$d/psql" ]; then "$d/psql" -X -q -v ON_ERROR_STOP=1 "$@"; else psql -X -q -v ON_ERROR_STOP=1 "$@"; fi
}

as_postgres() { # initdb and postgres refuse to run as root (paths given are absolute)
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster directory. Normally .data/pg; when the user postgres cannot reach the
# repo (a clone under /root, say), a directory under /var/tmp linked from .data/pg.
pg_data_dir() {
  mkdir -p "$DATA_DIR"
  if [ ! -e "$DATA_DIR/pg" ] && [ ! -L "$DATA_DIR/pg" ]; then
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || die "there is no user 'postgres' (run scripts/deps.sh)"
      chmod 755 "$DATA_DIR"
      if runuser -u postgres -- test -x "$DATA_DIR"; then
        mkdir "$DATA_DIR/pg"
      else
        local alt
        alt="/var/tmp/mesa-pg-$(printf '%s' "$MESA_ROOT" | cksum | cut -d' ' -f1)"
        mkdir -p "$alt"
        ln -s "$alt" "$DATA_DIR/pg"
      fi
      chown postgres:postgres "$(readlink -f "$DATA_DIR/pg")"
    else
      mkdir "$DATA_DIR/pg"
    fi
    chmod 700 "$(readlink -f "$DATA_DIR/pg")"
  fi
  readlink -f "$DATA_DIR/pg"
}

pg_running() { # is the private cluster up?
  [ -e "$DATA_DIR/pg/PG_VERSION" ] || return 1
  as_postgres "$(pg_bin)/pg_ctl" -D "$(readlink -f "$DATA_DIR/pg")" status >/dev/null 2>&1
}

# pg_start [test]: sets PG_SERVER_URL (admin URL of the server, database "postgres")
# and PG_STARTED_BY_US. "test" adds fsync=off when the cluster is started here.
PG_SERVER_URL=""
PG_STARTED_BY_US=0
pg_start() {
  local mode=${1:-run}
  if [ -n "${DATABASE_URL:-}" ]; then
    PG_SERVER_URL=$(url_with_db "$DATABASE_URL" postgres)
    PGCONNECT_TIMEOUT=5 psql_cmd "$PG_SERVER_URL" -Atc 'SELECT 1' >/dev/null \
      || die "cannot connect to the server of DATABASE_URL (as $(url_with_db "$DATABASE_URL" postgres))"
    say "Postgres: using the server of DATABASE_URL"
    return 0
  fi
  local bin dir
  bin=$(pg_bin)
  dir=$(pg_data_dir)
  if [ ! -s "$dir/PG_VERSION" ]; then
    find "$dir" -mindepth 1 -delete
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$DATA_DIR/initdb.log" 2>&1 || { cat "$DATA_DIR/initdb.log" >&2; die "initdb failed"; }
    say "Postgres: created a private cluster in $dir"
  fi
  PG_SERVER_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  if as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    say "Postgres: reusing the private cluster on 127.0.0.1:$PG_PORT"
  else
    local opts="-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1"
    [ "$mode" = test ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if ! as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null; then
      tail -n 20 "$dir/server.log" >&2 || true
      die "the private Postgres did not start on 127.0.0.1:$PG_PORT (port taken? set MESA_PG_PORT)"
    fi
    PG_STARTED_BY_US=1
    say "Postgres: started the private cluster on 127.0.0.1:$PG_PORT$([ "$mode" = test ] && echo ' (fsync=off)')"
  fi
  PGCONNECT_TIMEOUT=5 psql_cmd "$PG_SERVER_URL" -Atc 'SELECT 1' >/dev/null \
    || die "the private cluster does not answer on 127.0.0.1:$PG_PORT (is another server on that port? set MESA_PG_PORT)"
}

pg_stop() {
  if pg_running; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$(readlink -f "$DATA_DIR/pg")" -m fast -w stop >/dev/null
    say "Postgres: stopped the private cluster"
  fi
}

# ensure_db SERVER_URL DB: create DB unless it exists.
ensure_db() {
  local server=$1 db=$2
  if [ "$(psql_cmd "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_cmd "$server" -c "CREATE DATABASE \"$db\""
    say "Postgres: created database $db"
  fi
}

# recreate_db SERVER_URL DB: drop DB (closing its connections) and create it empty.
recreate_db() {
  local server=$1 db=$2
  PGOPTIONS="-c client_min_messages=warning" psql_cmd "$server" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
  psql_cmd "$server" -c "CREATE DATABASE \"$db\""
}

# ---------------------------------------------------------------------------
# Demo directory (slapd) — see deploy/ldap/demo-slapd.sh.

ldap_start() { # DIR PORT
  bash "$LDAP_CTL" start "$1" "ldap://127.0.0.1:$2/"
}
ldap_stop() { # DIR
  if bash "$LDAP_CTL" status "$1"; then
    bash "$LDAP_CTL" stop "$1"
    say "demo directory: stopped slapd of ${1#"$MESA_ROOT"/}"
  fi
}
# ldap_env PORT: the MESA_LDAP_* settings for the demo directory, one VAR=value a line.
ldap_env() {
  printf '%s\n' \
    "MESA_LDAP_URL=ldap://127.0.0.1:$1" \
    "MESA_LDAP_BIND_DN=$LDAP_DEMO_BIND_DN" \
    "MESA_LDAP_BIND_PASSWORD=$LDAP_DEMO_BIND_PASSWORD" \
    "MESA_LDAP_BASE_DN=$LDAP_DEMO_BASE_DN"
}

# ---------------------------------------------------------------------------
# Builds.

cargo_build() { cargo build -p mesa; }

# frontend_install: npm ci unless node_modules is current with package-lock.json
# (npm writes node_modules/.package-lock.json at every install).
frontend_install() {
  [ -f frontend/package-lock.json ] || die "frontend/package-lock.json is missing"
  if [ -f frontend/node_modules/.package-lock.json ] \
    && [ frontend/node_modules/.package-lock.json -nt frontend/package-lock.json ]; then
    say "frontend: node_modules is up to date"
  else
    (cd frontend && npm ci --no-audit --no-fund)
  fi
}

frontend_build() { (cd frontend && npm run build); }

# The generator of the Python client (PyPI), and its settings (examples/).
PYTHON_CLIENT_GENERATOR='openapi-python-client~=0.29.1'
PYTHON_CLIENT_DIR="$DATA_DIR/python-client"

# python_client_install VENV: generates the Python client `mesa_client` from
# openapi/openapi.json into .data/python-client (anew each time, so it follows the contract)
# and installs it into VENV (created when missing) with the pinned generator.
python_client_install() {
  local venv=$1
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$PYTHON_CLIENT_GENERATOR"
  rm -rf "$PYTHON_CLIENT_DIR"
  "$venv/bin/openapi-python-client" generate --path openapi/openapi.json --output-path "$PYTHON_CLIENT_DIR" \
    --meta setup --config examples/openapi-python-client.yaml --fail-on-warning >/dev/null
  # Its dependencies (httpx, attrs) are the generator's own, already there.
  "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$PYTHON_CLIENT_DIR"
  say "generated .data/python-client from openapi/openapi.json and installed mesa_client in ${venv#"$MESA_ROOT"/}"
}

# jwt_secret: print the secret kept in .data/jwt-secret, generated once (mode 600).
jwt_secret() {
  local f="$DATA_DIR/jwt-secret"
  mkdir -p "$DATA_DIR"
  if [ ! -s "$f" ]; then
    (umask 077 && random_secret >"$f")
    say "generated a JWT secret in .data/jwt-secret" >&2
  fi
  chmod 600 "$f"
  cat "$f"
}
