#!/usr/bin/env bash
# scripts/deps.sh [run|test|all] — install what Mesa's commands need and is missing.
#   run:  Postgres server binaries, slapd + ldap-utils, Node.js ≥ 20 + npm, curl, a C compiler
#   test: the above + Chromium (browser tests) + Python venv support (OpenAPI validator)
#         + Dovecot's IMAP server (mailbox intake tests start their own)
#         + poppler-utils (pdftoppm, pdftotext: the reports tests read the quarterly PDF)
#   all:  the same as test (default)
# Idempotent: when everything is present it asks no package manager and prints one line.
# Uses Debian's packages (apt-get) and, only when the distribution's Node.js is older
# than 20, the npm package node@20.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=${1:-all}
case "$mode" in run | test | all) ;; *) die "usage: scripts/deps.sh [run|test|all]" ;; esac

pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pkgs+=(postgresql)
elif ! ls /usr/lib/postgresql/*/bin/psql >/dev/null 2>&1 && ! have psql; then
  pkgs+=(postgresql-client)
fi
have slapd || pkgs+=(slapd)
have ldapwhoami || pkgs+=(ldap-utils)
have curl || pkgs+=(curl)
have cc || pkgs+=(gcc libc6-dev) # ring and zstd-sys build C code
if ! have node || ! have npm; then
  have node || pkgs+=(nodejs)
  have npm || pkgs+=(npm)
fi
if [ "$mode" != run ]; then
  have chromium || pkgs+=(chromium)
  { [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ]; } || pkgs+=(dovecot-imapd)
  have pdftoppm || pkgs+=(poppler-utils) # the quarterly report's PDF rendered to PNG in the API tests
  if ! have python3; then
    pkgs+=(python3 python3-venv)
  elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    pkgs+=(python3-venv)
  fi
fi

if [ ${#pkgs[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    have sudo || die "missing packages: ${pkgs[*]} (run as root or install them)"
    sudo=(sudo)
  fi
  mkdir -p "$DATA_DIR"
  log="$DATA_DIR/apt.log"
  had_slapd=0
  [ -e /usr/sbin/slapd ] && had_slapd=1
  had_dovecot=0
  [ -e /usr/sbin/dovecot ] && had_dovecot=1
  say "deps: installing ${pkgs[*]} (log: .data/apt.log)"
  if ! "${sudo[@]}" apt-get update >"$log" 2>&1 \
    || ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "${pkgs[@]}" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "apt-get failed (see .data/apt.log)"
  fi
  for p in "${pkgs[@]}"; do echo "deps: installed $p"; done
  # slapd's postinst may start a system daemon with a default database: Mesa never
  # uses it (it runs its own slapd per directory), so stop it.
  if [ "$had_slapd" = 0 ]; then
    for pidfile in /run/slapd/slapd.pid /var/run/slapd/slapd.pid; do
      if [ -s "$pidfile" ]; then
        pid=$(cat "$pidfile")
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = slapd ]; then
          if [ -d /run/systemd/system ]; then "${sudo[@]}" systemctl stop slapd || true; fi
          "${sudo[@]}" kill "$pid" 2>/dev/null || true
          echo "deps: stopped the system slapd that the package started"
        fi
        break
      fi
    done
  fi
  # Likewise dovecot's postinst may start a system IMAP server: the tests run their own.
  if [ "$had_dovecot" = 0 ]; then
    for pidfile in /run/dovecot/master.pid /var/run/dovecot/master.pid; do
      if [ -s "$pidfile" ]; then
        pid=$(cat "$pidfile")
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dovecot ]; then
          if [ -d /run/systemd/system ]; then "${sudo[@]}" systemctl stop dovecot || true; fi
          "${sudo[@]}" kill "$pid" 2>/dev/null || true
          echo "deps: stopped the system dovecot that the package started"
        fi
        break
      fi
    done
  fi
  hash -r
fi

# Node.js ≥ 20 (Debian 12's own nodejs is 18): take node@20 from the npm registry.
mkdir -p "$DATA_DIR"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" npm install -g --no-audit --no-fund node@20 >"$DATA_DIR/npm-node.log" 2>&1 \
    || { tail -n 30 "$DATA_DIR/npm-node.log" >&2; die "installing node@20 with npm failed"; }
  hash -r
  echo "deps: installed node $(node -v) (npm package node@20)"
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || die "node $(node -v) is still first on PATH; Node.js ≥ 20 is required"
fi

if [ ${#pkgs[@]} -eq 0 ]; then echo "deps: all present"; fi
