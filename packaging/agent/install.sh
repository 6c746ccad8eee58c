#!/usr/bin/env bash
# Installs, repairs or upgrades the dcmon agent on this machine (Debian/Ubuntu, systemd) and
# registers it with a dcmon server.
#
#   sudo bash install.sh --server https://SERVER:8443 [--admin-token-file FILE] [--server-fingerprint SHA256:...]
#
# Safe to run again: it asks the agent where it stands (dcmon-agent status) and does only what is
# left: 0 registered and verified -> nothing; 1 installed but unknown to the server, or 2 nothing
# set up -> register; 3 server unreachable -> keep the registration (the agent spools and retries).
# Running it with a newer jar is the upgrade: config, key, token and spool stay. See ../README.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR/.. source=lib/common.sh
. "$SCRIPT_DIR/../lib/common.sh"

usage() {
  cat <<'EOF'
Usage: sudo bash install.sh --server URL [options]

Installs the dcmon agent: Java 17+, ipmitool, nvme-cli and smartmontools from the distribution when
missing, /etc/dcmon/agent.yaml, /etc/dcmon/auth (key and token, mode 700), /var/lib/dcmon-agent
(spool), /opt/dcmon/dcmon-agent.jar, /usr/local/bin/dcmon-agent and the systemd unit
dcmon-agent.service; registers with the server, then enables and starts the unit.

Options:
  --server URL                  the server, e.g. https://dcmon.example.net:8443 (needed the first
                                time; later runs reuse the one in agent.yaml, or switch to a new one)
  --admin-token-file FILE       the server's admin token, for registering without a prompt (or set
                                DCMON_ADMIN_TOKEN); without either, registration asks for it
  --server-fingerprint SHA256:… the server certificate's fingerprint, pinned without asking
                                (printed by the server's install.sh and 'dcmon-server fingerprint')
  --interval SECONDS            seconds between pushes, written to agent.yaml (default there: 30)
  --log-level LEVEL             trace, debug, info, warn or error, written to agent.yaml
  --no-tools                    do not install ipmitool, nvme-cli and smartmontools
  --jar FILE                    the agent jar (default: dcmon-agent.jar next to this script, else
                                the build output ../../dcmon-agent-app/target/dcmon-agent.jar)
  -h, --help                    this text

Environment: DCMON_ROOT installs under another root (tests, images); DCMON_JAVA is the Java binary
(default /usr/bin/java, the one the unit runs).
EOF
}

jar_opt="" server="" token_file="" fingerprint="" interval="" log_level="" tools=1
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="${2:?--server needs a URL}"; shift 2 ;;
    --admin-token-file) token_file="${2:?--admin-token-file needs a FILE}"; shift 2 ;;
    --server-fingerprint) fingerprint="${2:?--server-fingerprint needs SHA256:...}"; shift 2 ;;
    --interval) interval="${2:?--interval needs a number of seconds}"; shift 2 ;;
    --log-level) log_level="${2:?--log-level needs a level}"; shift 2 ;;
    --no-tools) tools=0; shift ;;
    --jar) jar_opt="${2:?--jar needs a FILE}"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
# Values go into YAML and onto command lines: accept only what a URL, a number or a level can be.
if [ -n "$server" ] && ! [[ "$server" =~ ^https?://[][A-Za-z0-9._:-]+(/[A-Za-z0-9._~/-]*)?$ ]]; then
  die "--server was '$server' but it must be an http:// or https:// URL such as https://dcmon.example.net:8443"
fi
if [ -n "$interval" ] && { ! [[ "$interval" =~ ^[0-9]+$ ]] || [ "$interval" -lt 1 ]; }; then
  die "--interval was '$interval' but it must be a whole number of seconds, at least 1"
fi
case "$log_level" in '' | trace | debug | info | warn | error) ;; *)
  die "--log-level was '$log_level' but it must be one of trace, debug, info, warn, error" ;;
esac
if [ -n "$fingerprint" ] && ! [[ "$fingerprint" =~ ^SHA256:[A-Za-z0-9+/=:]+$ ]]; then
  die "--server-fingerprint was '$fingerprint' but it must look like SHA256:... (as printed by 'dcmon-server fingerprint')"
fi
if [ -n "$token_file" ] && [ ! -r "$token_file" ]; then
  die "--admin-token-file $token_file cannot be read; on the server it is /etc/dcmon-server/auth/admin_token"
fi

need_root
jar_src="$(find_jar "$jar_opt" dcmon-agent.jar ../../dcmon-agent-app/target/dcmon-agent.jar)"
ensure_java

if [ "$tools" = 1 ]; then
  missing=()
  for pkg in ipmitool nvme-cli smartmontools; do
    pkg_installed "$pkg" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "tools: ipmitool, nvme-cli and smartmontools are installed"
  elif command -v apt-get >/dev/null 2>&1; then
    apt_install "${missing[@]}"
  else
    warn "apt-get not found: install ${missing[*]} with this system's package manager for IPMI, NVMe and SMART metrics"
  fi
fi

CONF_DIR="$R/etc/dcmon"
CONF="$CONF_DIR/agent.yaml"
AUTH_DIR="$CONF_DIR/auth"
DATA_DIR="$R/var/lib/dcmon-agent"
OPT_DIR="$R/opt/dcmon"
JAR="$OPT_DIR/dcmon-agent.jar"
UNIT="$R/etc/systemd/system/dcmon-agent.service"
WRAPPER="$R/usr/local/bin/dcmon-agent"
PLACEHOLDER="https://dcmon-server.invalid:8443"

ensure_dir "$OPT_DIR" 755 root:root
ensure_dir "$CONF_DIR" 755 root:root
ensure_dir "$AUTH_DIR" 700 root:root
ensure_dir "$DATA_DIR" 700 root:root
ensure_dir "$DATA_DIR/spool" 700 root:root
ensure_dir "$R/etc/systemd/system" 755 root:root
ensure_dir "$R/usr/local/bin" 755 root:root

restart=0
if [ -f "$CONF" ]; then
  say "config: keeping $CONF"
else
  [ -n "$server" ] || die "--server URL is needed for the first installation, e.g. --server https://dcmon.example.net:8443"
  install_file "$SCRIPT_DIR/agent.yaml" "$CONF" 644 root:root
  say "config: wrote $CONF"
fi
own "$CONF" root:root 644
set_key() {
  yaml_set "$CONF" "$1" "$2"
  if [ "$CHANGED" = 1 ]; then
    say "config: $1 set to $2"
    restart=1
  fi
}
[ -z "$server" ] || set_key server "\"$server\""
[ -z "$interval" ] || set_key interval "$interval"
[ -z "$log_level" ] || set_key log_level "$log_level"
server_cfg="$(yaml_get "$CONF" server)"
if [ -z "$server_cfg" ] || [ "$server_cfg" = "$PLACEHOLDER" ]; then
  die "$CONF names no server: run $0 --server https://SERVER:8443"
fi

install_file "$jar_src" "$JAR" 644 root:root
if [ "$CHANGED" = 1 ]; then
  restart=1
  say "jar: installed $JAR (sha256 $(sha256sum "$JAR" | cut -c1-16)…)"
else
  say "jar: $JAR is up to date"
fi
install_file "$SCRIPT_DIR/dcmon-agent" "$WRAPPER" 755 root:root
install_file "$SCRIPT_DIR/dcmon-agent.service" "$UNIT" 644 root:root
if [ "$CHANGED" = 1 ]; then
  restart=1
  systemctl daemon-reload
  say "unit: installed $UNIT"
fi

# The agent reads its auth dir from agent.yaml, which holds the target system's path; under a
# scratch root the same directory lives below DCMON_ROOT, so name it explicitly.
agent=("${JAVA_CLI[@]}" -jar "$JAR")
auth_cfg="$(yaml_get "$CONF" auth_dir)"
where=(--config "$CONF" --auth-dir "$(rooted "${auth_cfg:-/etc/dcmon/auth}")")
rc=0
"${agent[@]}" status "${where[@]}" || rc=$?
case "$rc" in
  0) say "registration: registered and verified by $server_cfg" ;;
  1 | 2)
    if [ "$rc" = 1 ]; then
      say "registration: not (or no longer) known to $server_cfg; registering again"
    else
      say "registration: registering with $server_cfg"
    fi
    register=(register --server "$server_cfg" "${where[@]}")
    [ -z "$token_file" ] || register+=(--admin-token-file "$token_file")
    [ -z "$fingerprint" ] || register+=(--server-fingerprint "$fingerprint")
    if ! "${agent[@]}" "${register[@]}"; then
      die "registration with $server_cfg failed (see above). The files are installed; the service was not (re)started. Fix the cause and run $0 again."
    fi
    rc=0
    "${agent[@]}" status "${where[@]}" || rc=$?
    [ "$rc" = 0 ] || die "registered, but 'dcmon-agent status' still answers $rc; run $0 again, or check the server's log"
    restart=1
    ;;
  3) warn "the server $server_cfg cannot be reached now; keeping the registration (the agent spools its batches and sends them later). Run $0 again to check." ;;
  *) die "'dcmon-agent status' failed with exit status $rc (see above); fix the cause and run $0 again" ;;
esac

systemctl enable --quiet dcmon-agent.service
if [ "$restart" = 1 ]; then
  systemctl restart dcmon-agent.service
  say "service: (re)started"
else
  # Starts it if it was stopped or failed; a no-op when running.
  systemctl start dcmon-agent.service
  say "service: nothing changed"
fi
say ""
say "dcmon agent pushing to $server_cfg; check with: dcmon-agent status; journalctl -u dcmon-agent"
