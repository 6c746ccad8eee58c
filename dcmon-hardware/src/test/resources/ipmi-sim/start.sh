#!/usr/bin/env bash
# Start OpenIPMI's BMC simulator (ipmi_sim) as a Supermicro-X11-like BMC on
# loopback, for integration tests.
#
#   start.sh [PORT] [STATE_DIR]
#
#   PORT       UDP port for IPMI-over-LAN on 127.0.0.1 (default 9623).
#              The command console listens on TCP 127.0.0.1:PORT+1
#              (override with IPMI_SIM_CONSOLE_PORT).
#   STATE_DIR  existing or new directory for ipmi_sim's state (SDRs, SEL,
#              users, power state, log). Default: a fresh mktemp directory
#              under /tmp, which stop.sh deletes again.
#
# Prints the PID of ipmi_sim on stdout (one line, nothing else) once
# `ipmitool ... mc info` answers; progress and errors go to stderr.
# Waits at most IPMI_SIM_WAIT_SECONDS (default 10). Exit status: 0 ready,
# 1 ipmi_sim died or did not answer in time (it is stopped again), 2 usage or
# missing tools. Stop it with: stop.sh PID
#
# Installs nothing. Needs: apt-get install -y openipmi ipmitool
# (openipmi provides ipmi_sim and sdrcomp).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
wait_seconds=${IPMI_SIM_WAIT_SECONDS:-10}
name=dcmon-x11

valid_port() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1024 && $1 <= 65535)); }
port=${1:-9623}
valid_port "$port" || { echo "start.sh: PORT must be a number from 1024 to 65535, got '$port'" >&2; exit 2; }
console_port=${IPMI_SIM_CONSOLE_PORT:-$((port + 1))}
valid_port "$console_port" || { echo "start.sh: console port must be a number from 1024 to 65535, got '$console_port'" >&2; exit 2; }
for tool in ipmi_sim sdrcomp ipmitool; do
    if ! command -v "$tool" >/dev/null; then
        echo "start.sh: $tool not found; install with: apt-get install -y openipmi ipmitool" >&2
        exit 2
    fi
done

# ipmi_sim binds its UDP port with SO_REUSEADDR, so a second simulator on a
# busy port starts "fine" and the old one answers for it. Refuse instead.
# (/proc/net: local port in hex; TCP state 0A = LISTEN.)
port_busy() { # proto port
    local hex
    hex=$(printf '%04X' "$2")
    awk -v hex="$hex" -v proto="$1" 'FNR > 1 {
            split($2, a, ":")
            if (a[2] == hex && (proto == "udp" || $4 == "0A")) busy = 1
        } END { exit !busy }' /proc/net/"$1" /proc/net/"$1"6 2>/dev/null
}
if port_busy udp "$port"; then
    echo "start.sh: UDP port $port is already in use" >&2
    exit 1
fi
if port_busy tcp "$console_port"; then
    echo "start.sh: TCP port $console_port (console) is already in use" >&2
    exit 1
fi

if [[ -n ${2:-} ]]; then
    state=$(mkdir -p "$2" && cd "$2" && pwd)
else
    state=$(mktemp -d "${TMPDIR:-/tmp}/dcmon-ipmi-sim.XXXXXX")
    : >"$state/.created-by-start-sh"   # tells stop.sh it may delete the directory
fi

# SDR repository: compiled from the human-readable source on every start.
# -8: plain 8-bit ASCII names (without it sdrcomp packs names like "FAN1"
# as 6-bit ASCII, which ipmitool prints as garbage).
mkdir -p "$state/ipmi_sim/$name"
sdrcomp -8 -I "$here" -o "$state/ipmi_sim/$name/sdr.20.main" "$here/$name.sdrs"

# lan.conf with this instance's ports and power-state file (ipmi_sim runs the
# chassis_control string through sh, hence the single quotes).
# dcmon copy: scripts are run through sh/bash because Maven drops the execute bit when it copies
# test resources.
chassis_cmd="sh '$here/chassis-control.sh' '$state/chassis.state'"
chassis_cmd=${chassis_cmd//\\/\\\\}; chassis_cmd=${chassis_cmd//&/\\&}; chassis_cmd=${chassis_cmd//|/\\|}
sed -e "s/^\([[:space:]]*addr 127\.0\.0\.1\) 9623\$/\1 $port/" \
    -e "s/^console 127\.0\.0\.1 9624\$/console 127.0.0.1 $console_port/" \
    -e "s|^\([[:space:]]*chassis_control\) .*|\1 \"$chassis_cmd\"|" \
    "$here/lan.conf" >"$state/lan.conf"
if ! grep -q "^[[:space:]]*addr 127.0.0.1 $port\$" "$state/lan.conf" ||
   ! grep -q "^console 127.0.0.1 $console_port\$" "$state/lan.conf"; then
    echo "start.sh: could not set the ports in $state/lan.conf (was lan.conf edited?)" >&2
    exit 2
fi
echo 1 >"$state/chassis.state"

# stdin is a FIFO that ipmi_sim opens read-write itself, so it never sees EOF
# (EOF on stdin stops ipmi_sim). Unlike -n, this keeps the stdio console, so
# ipmi_sim.log shows the command file as it runs and any "**" error in it.
# Working directory = state directory; stop.sh reads it from /proc.
# The log also records every session open/close (a few lines per ipmitool call).
rm -f "$state/console.in"
mkfifo "$state/console.in"
: >"$state/ipmi_sim.log"
cd "$state"
ipmi_sim -c "$state/lan.conf" -f "$here/$name.emu" -s "$state" \
    <>"$state/console.in" >"$state/ipmi_sim.log" 2>&1 &
pid=$!
echo "$pid" >"$state/ipmi_sim.pid"

# On failure: show ipmi_sim's output, stop it, drop a state dir we created.
fail() {
    echo "start.sh: $1; ipmi_sim's output:" >&2
    cat "$state/ipmi_sim.log" >&2
    bash "$here/stop.sh" "$pid" 2>/dev/null || true
    [[ -f $state/.created-by-start-sh ]] && rm -rf -- "$state"
    exit 1
}
deadline=$((SECONDS + wait_seconds))
while :; do
    kill -0 "$pid" 2>/dev/null || fail "ipmi_sim exited during start-up"
    grep -qE $'^\r?\\*\\*' "$state/ipmi_sim.log" && fail "ipmi_sim reported an error (lines with **)"
    timeout 2 ipmitool -I lanplus -H 127.0.0.1 -p "$port" -U ADMIN -P ADMIN -C 3 -N 1 -R 1 \
        mc info >/dev/null 2>&1 && break
    ((SECONDS < deadline)) ||
        fail "ipmi_sim (PID $pid) did not answer on 127.0.0.1:$port within ${wait_seconds}s"
    sleep 0.1
done

# The simulated SEL clock starts near 0 ("Pre-Init" in `sel elist`); set it
# to now so logged events carry real timestamps.
ipmitool -I lanplus -H 127.0.0.1 -p "$port" -U ADMIN -P ADMIN -C 3 -N 1 -R 1 \
    sel time set now >/dev/null 2>&1 || true

echo "start.sh: ipmi_sim PID $pid ready: lanplus 127.0.0.1:$port (UDP), console 127.0.0.1:$console_port (TCP), state $state" >&2
echo "$pid"
