#!/usr/bin/env bash
# Installs, repairs or upgrades the dcmon server on this machine (Debian/Ubuntu, systemd).
#
#   sudo bash install.sh [--jar FILE] [--host ADDR] [--port N]
#
# Safe to run again: it only repairs what is missing or different. Running it with a newer jar is
# the upgrade: the jar is replaced and the service restarted; config, secrets and database stay
# (the server migrates the schema at start). See ../README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR/.. source=lib/common.sh
. "$SCRIPT_DIR/../lib/common.sh"

usage() {
  cat <<'EOF'
Usage: sudo bash install.sh [options]

Installs the dcmon server: Java 17+ from the distribution when missing, the system user "dcmon",
/etc/dcmon-server/server.yaml, /etc/dcmon-server/auth (secrets, mode 700), /var/lib/dcmon-server
(database), /opt/dcmon/dcmon-server.jar, /usr/local/bin/dcmon-server and the systemd unit
dcmon-server.service, which it enables and starts. Re-running repairs; a newer jar upgrades.

Options:
  --jar FILE    the server jar (default: dcmon-server.jar next to this script, else the build
                output ../../dcmon-server-app/target/dcmon-server.jar)
  --host ADDR   listen address, written to server.yaml (default there: 0.0.0.0)
  --port N      listen port, written to server.yaml (default there: 8443)
  -h, --help    this text

Environment: DCMON_ROOT installs under another root (tests, images); DCMON_JAVA is the Java binary
(default /usr/bin/java, the one the unit runs); DCMON_START_WAIT is how many seconds to wait for
the first start before printing the certificate fingerprint (default 30).
EOF
}

jar_opt="" host="" port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar_opt="${2:?--jar needs a FILE}"; shift 2 ;;
    --host) host="${2:?--host needs an ADDR}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
if [ -n "$host" ] && ! [[ "$host" =~ ^[A-Za-z0-9.:_-]+$ ]]; then
  die "--host was '$host' but it must be an address or host name, e.g. 0.0.0.0 or 127.0.0.1"
fi
if [ -n "$port" ] && { ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; }; then
  die "--port was '$port' but it must be a number within 1..65535"
fi

need_root
jar_src="$(find_jar "$jar_opt" dcmon-server.jar ../../dcmon-server-app/target/dcmon-server.jar)"
ensure_java

CONF_DIR="$R/etc/dcmon-server"
CONF="$CONF_DIR/server.yaml"
AUTH_DIR="$CONF_DIR/auth"
DATA_DIR="$R/var/lib/dcmon-server"
OPT_DIR="$R/opt/dcmon"
JAR="$OPT_DIR/dcmon-server.jar"
UNIT="$R/etc/systemd/system/dcmon-server.service"
WRAPPER="$R/usr/local/bin/dcmon-server"

if user_exists dcmon; then
  say "user: dcmon exists"
else
  say "user: creating the system user dcmon"
  # A group left behind (by hand, or by a userdel without USERGROUPS_ENAB) is reused, not an error.
  group=(--user-group)
  if grep -q "^dcmon:" "$R/etc/group" 2>/dev/null; then
    group=(--gid dcmon)
  fi
  useradd ${R:+--prefix "$R"} --system "${group[@]}" --home-dir /var/lib/dcmon-server --no-create-home \
    --shell /usr/sbin/nologin --comment "dcmon server" dcmon
fi

ensure_dir "$OPT_DIR" 755 root:root
ensure_dir "$CONF_DIR" 750 root:dcmon
ensure_dir "$AUTH_DIR" 700 dcmon:dcmon
ensure_dir "$DATA_DIR" 700 dcmon:dcmon
ensure_dir "$R/etc/systemd/system" 755 root:root
ensure_dir "$R/usr/local/bin" 755 root:root

restart=0
fresh=0
[ -f "$UNIT" ] || fresh=1
if [ -f "$CONF" ]; then
  say "config: keeping $CONF"
else
  install_file "$SCRIPT_DIR/server.yaml" "$CONF" 640 root:dcmon
  say "config: wrote $CONF"
  restart=1
fi
own "$CONF" root:dcmon 640
if [ -n "$host" ]; then
  yaml_set "$CONF" host "$host"
  [ "$CHANGED" = 0 ] || { say "config: host set to $host"; restart=1; }
fi
if [ -n "$port" ]; then
  yaml_set "$CONF" port "$port"
  [ "$CHANGED" = 0 ] || { say "config: port set to $port"; restart=1; }
fi
# Validate with the jar about to run, before anything is replaced or restarted: a newer jar that
# refuses this config leaves the running server alone. (Nothing to check when neither changed.)
if [ "$restart" = 1 ] || ! cmp -s "$jar_src" "$JAR"; then
  if ! "${JAVA_CLI[@]}" -jar "$jar_src" check-config "$CONF" >/dev/null; then
    die "$CONF is not valid for $jar_src (errors above); fix it and run $0 again. Nothing was replaced."
  fi
fi

auth_dir="$(yaml_get "$CONF" auth_dir)"
db_path="$(yaml_get "$CONF" db_path)"
case "$(rooted "${auth_dir:-/etc/dcmon-server/auth}")" in "$R/etc/dcmon-server/auth") ;; *)
  warn "auth_dir is $auth_dir: the unit may write only /etc/dcmon-server/auth and /var/lib/dcmon-server; add it with 'systemctl edit dcmon-server' (ReadWritePaths=$auth_dir)" ;;
esac
case "$(rooted "${db_path:-/var/lib/dcmon-server/dcmon.db}")" in "$R/var/lib/dcmon-server/"*) ;; *)
  warn "db_path is $db_path: the unit may write only /var/lib/dcmon-server and /etc/dcmon-server/auth; add its directory with 'systemctl edit dcmon-server' (ReadWritePaths=...)" ;;
esac

install_file "$jar_src" "$JAR" 644 root:root
if [ "$CHANGED" = 1 ]; then
  restart=1
  say "jar: installed $JAR (sha256 $(sha256sum "$JAR" | cut -c1-16)…)"
else
  say "jar: $JAR is up to date"
fi
install_file "$SCRIPT_DIR/dcmon-server" "$WRAPPER" 755 root:root

install_file "$SCRIPT_DIR/dcmon-server.service" "$UNIT" 644 root:root
if [ "$CHANGED" = 1 ]; then
  restart=1
  systemctl daemon-reload
  say "unit: installed $UNIT"
fi
systemctl enable --quiet dcmon-server.service
if [ "$fresh" = 1 ]; then
  systemctl start dcmon-server.service
  say "service: started"
elif [ "$restart" = 1 ]; then
  systemctl restart dcmon-server.service
  say "service: restarted (new jar, unit or config)"
else
  # Starts it if it was stopped or failed; a no-op when running.
  systemctl start dcmon-server.service
  say "service: nothing changed"
fi

# The server writes its admin token (and its TLS certificate) at first start.
token="$(rooted "${auth_dir:-/etc/dcmon-server/auth}")/admin_token"
wait_s="${DCMON_START_WAIT:-30}"
while [ ! -s "$token" ] && [ "$wait_s" -gt 0 ]; do
  sleep 1
  wait_s=$((wait_s - 1))
done

host_cfg="$(yaml_get "$CONF" host)"
port_cfg="$(yaml_get "$CONF" port)"
scheme=https
[ "$(yaml_get "$CONF" use_tls)" != false ] || scheme=http
case "${host_cfg:-0.0.0.0}" in
  0.0.0.0 | '::') url_host="$(hostname -f 2>/dev/null || hostname)" ;;
  *) url_host="$host_cfg" ;;
esac
[[ "$url_host" != *:* ]] || url_host="[$url_host]"
say ""
say "dcmon server: $scheme://$url_host:${port_cfg:-8443}/"
if [ -s "$token" ]; then
  say "admin token:  ${token#"$R"} (root only: sudo cat ${token#"$R"})"
  # Only newer servers can print it. The subcommand only reads the certificate, which the server
  # writes at first start just after the admin token: give it the rest of the wait to appear.
  if [ "$scheme" = https ]; then
    subcommands="$("${JAVA_CLI[@]}" -jar "$JAR" --help 2>&1 || true)"
    if [[ "$subcommands" == *" fingerprint "* ]]; then
      until fp="$("${JAVA_CLI[@]}" -jar "$JAR" fingerprint --config "$CONF" 2>/dev/null)" || [ "$wait_s" -le 0 ]; do
        sleep 1
        wait_s=$((wait_s - 1))
      done
      if [ -n "${fp:-}" ]; then
        say "certificate:  $fp (agents confirm it at registration, or pass it with --server-fingerprint)"
      else
        warn "could not read the certificate fingerprint yet; once the server runs: dcmon-server fingerprint --config ${CONF#"$R"}"
      fi
    fi
  fi
else
  say "admin token:  ${token#"$R"} once the server has started (check: systemctl status dcmon-server; journalctl -u dcmon-server)"
fi
say "agents:       sudo bash agent/install.sh --server $scheme://$url_host:${port_cfg:-8443}${fp:+ --server-fingerprint $fp}"
