#!/usr/bin/env bash
# Removes the dcmon agent from this machine.
#
#   sudo bash uninstall.sh [--purge]
#
# Stops and removes the unit, the jar and the command. Without --purge it keeps /etc/dcmon
# (agent.yaml and this machine's key and client token) and /var/lib/dcmon-agent (unsent batches),
# so a later install.sh resumes as the same client without registering again. --purge removes
# those too. ipmitool, nvme-cli and smartmontools stay installed. Safe to run again.
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

UNIT="$R/etc/systemd/system/dcmon-agent.service"
if [ -f "$UNIT" ]; then
  systemctl disable --now --quiet dcmon-agent.service || warn "could not stop dcmon-agent.service; removing it anyway"
  remove_file "$UNIT"
  systemctl daemon-reload
  systemctl reset-failed dcmon-agent.service 2>/dev/null || true
fi
remove_file "$R/opt/dcmon/dcmon-agent.jar"
remove_file "$R/usr/local/bin/dcmon-agent"
remove_dir_if_empty "$R/opt/dcmon"

if [ "$purge" = 1 ]; then
  for d in "$R/etc/dcmon" "$R/var/lib/dcmon-agent"; do
    if [ -e "$d" ]; then
      rm -rf "$d"
      say "removed $d"
    fi
  done
else
  for d in "$R/etc/dcmon" "$R/var/lib/dcmon-agent"; do
    [ ! -e "$d" ] || say "kept $d (remove it with: $0 --purge)"
  done
fi
