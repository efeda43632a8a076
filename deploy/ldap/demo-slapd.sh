#!/usr/bin/env bash
# Mesa's demo directory: an OpenLDAP slapd with the AD-like schema (ad-lite.schema),
# the ACLs of slapd.conf.template and the accounts of demo-directory.ldif.
#
#   demo-slapd.sh init  DIR       render DIR/slapd.conf; load the demo LDIF into DIR/data
#                                 (offline, with slapadd) unless it is already loaded and current
#   demo-slapd.sh start DIR URL   init, start slapd as a daemon listening on URL
#                                 (e.g. ldap://127.0.0.1:3389/) and wait until the service
#                                 account can bind; reuses a slapd already running from DIR
#   demo-slapd.sh run   DIR URL   init, then run slapd in the foreground (containers)
#   demo-slapd.sh stop  DIR       stop the slapd whose pid is in DIR/slapd.pid
#   demo-slapd.sh status DIR      exit 0 when that slapd is running
#
# Environment: LDAP_ADMIN_PASSWORD (rootdn cn=admin,dc=mesa,dc=local; default mesa-ldap-admin),
# LDAP_RUN_AS (user to drop privileges to, e.g. openldap; default: stay the current user),
# LDAP_DEBUG (slapd -d level for `run`; default 0).
# Used by scripts/lib.sh (make run, make test) and by deploy/openldap.Dockerfile.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SVC_DN="cn=svc-mesa,ou=services,dc=mesa,dc=local"
SVC_PW="svc-mesa-demo"
PATH="$PATH:/usr/sbin:/sbin"

die() { printf 'demo-slapd: %s\n' "$*" >&2; exit 1; }

slapd_pid() { # prints the pid of the slapd running from DIR, or fails
  local pidfile="$1/slapd.pid" pid
  [ -s "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = slapd ] || return 1
  echo "$pid"
}

init() {
  local dir="$1"
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  local rootpw
  rootpw=$(slappasswd -s "${LDAP_ADMIN_PASSWORD:-mesa-ldap-admin}")
  sed -e "s|@LDAP_DIR@|$dir|g" -e "s|@SCHEMA_DIR@|$HERE|g" -e "s|@ROOTPW_HASH@|$rootpw|g" \
    "$HERE/slapd.conf.template" >"$dir/slapd.conf"
  chmod 600 "$dir/slapd.conf"
  local marker="$dir/data/.loaded"
  if [ ! -f "$marker" ] || [ "$HERE/demo-directory.ldif" -nt "$marker" ] \
    || [ "$HERE/ad-lite.schema" -nt "$marker" ]; then
    rm -rf "${dir:?}/data" && mkdir -p "$dir/data"
    slapadd -q -f "$dir/slapd.conf" -l "$HERE/demo-directory.ldif" >"$dir/slapadd.log" 2>&1 \
      || { cat "$dir/slapadd.log" >&2; die "loading demo-directory.ldif failed"; }
    touch "$marker"
  fi
  if [ -n "${LDAP_RUN_AS:-}" ]; then chown -R "$LDAP_RUN_AS:$LDAP_RUN_AS" "$dir"; fi
}

run_as_args() {
  if [ -n "${LDAP_RUN_AS:-}" ]; then printf '%s\n' -u "$LDAP_RUN_AS" -g "$LDAP_RUN_AS"; fi
}

wait_ready() { # URL: poll until the service account can bind (about 10 s at most)
  local url="${1/0.0.0.0/127.0.0.1}"
  for _ in $(seq 100); do
    if ldapwhoami -x -H "$url" -D "$SVC_DN" -w "$SVC_PW" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

start() {
  local dir="$1" url="$2" pid
  if pid=$(slapd_pid "$dir"); then
    wait_ready "$url" || die "a slapd (pid $pid) runs from $dir but does not answer on $url; run: $0 stop $dir"
    echo "demo directory: reusing slapd (pid $pid) on $url"
    return 0
  fi
  init "$dir"
  dir=$(cd "$dir" && pwd)
  local -a extra
  mapfile -t extra < <(run_as_args)
  slapd -f "$dir/slapd.conf" -h "$url" "${extra[@]}" \
    || die "slapd did not start on $url (port in use?)"
  wait_ready "$url" || { stop "$dir" || true; die "slapd on $url did not answer within 10 s"; }
  echo "demo directory: slapd (pid $(slapd_pid "$dir")) on $url"
}

run() {
  local dir="$1" url="$2"
  init "$dir"
  dir=$(cd "$dir" && pwd)
  local -a extra
  mapfile -t extra < <(run_as_args)
  exec slapd -d "${LDAP_DEBUG:-0}" -f "$dir/slapd.conf" -h "$url" "${extra[@]}"
}

stop() {
  local dir="$1" pid _
  pid=$(slapd_pid "$dir") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/slapd.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/slapd.pid"
}

cmd="${1:-}"
case "$cmd" in
  init) [ $# -eq 2 ] || die "usage: $0 init DIR"; init "$2" ;;
  start) [ $# -eq 3 ] || die "usage: $0 start DIR URL"; start "$2" "$3" ;;
  run) [ $# -eq 3 ] || die "usage: $0 run DIR URL"; run "$2" "$3" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  status) [ $# -eq 2 ] || die "usage: $0 status DIR"; slapd_pid "$2" >/dev/null ;;
  *) die "usage: $0 {init|start|run|stop|status} DIR [URL]" ;;
esac
