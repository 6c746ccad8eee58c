#!/usr/bin/env bash
# Removes the dcmon server from this machine.
#
#   sudo bash uninstall.sh [--purge]
#
# Stops and removes the unit, the jar, the command and the dcmon user. Without --purge it keeps
# /etc/dcmon-server (config, admin token, TLS key) and /var/lib/dcmon-server (the database), so a
# later install.sh resumes with the same data, admin token and certificate, and the agents keep
# working. --purge removes those too. Safe to run again.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR/.. source=lib/common.sh
. "$SCRIPT_DIR/../lib/common.sh"

purge=0
while [ $# -gt 0 ]; do
  case "$1" in
    --purge) purge=1; shift ;;
    -h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown option '$1'; usage: sudo bash uninstall.sh [--purge]" ;;
  esac
done
need_root

UNIT="$R/etc/systemd/system/dcmon-server.service"
if [ -f "$UNIT" ]; then
  systemctl disable --now --quiet dcmon-server.service || warn "could not stop dcmon-server.service; removing it anyway"
  remove_file "$UNIT"
  systemctl daemon-reload
  systemctl reset-failed dcmon-server.service 2>/dev/null || true
fi
remove_file "$R/opt/dcmon/dcmon-server.jar"
remove_file "$R/usr/local/bin/dcmon-server"
remove_dir_if_empty "$R/opt/dcmon"
if user_exists dcmon; then
  userdel ${R:+--prefix "$R"} dcmon
  say "removed the user dcmon"
fi

if [ "$purge" = 1 ]; then
  for d in "$R/etc/dcmon-server" "$R/var/lib/dcmon-server"; do
    if [ -e "$d" ]; then
      rm -rf "$d"
      say "removed $d"
    fi
  done
else
  for d in "$R/etc/dcmon-server" "$R/var/lib/dcmon-server"; do
    [ ! -e "$d" ] || say "kept $d (remove it with: $0 --purge)"
  done
fi
