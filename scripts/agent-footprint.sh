#!/usr/bin/env bash
# Measures the dcmon agent's footprint: runs the real agent jar for a bounded time against a dev server this script
# starts on 127.0.0.1, with the os collector plus nvidia-smi and ipmitool answered by replay scripts that print
# captured outputs (dcmon-hardware/src/test/resources/fixtures). Prints RSS over time, CPU time per collection
# cycle and compressed bytes per push, read back from the agent's own metrics through the server API.
#
# Usage: scripts/agent-footprint.sh [DURATION_SECONDS]     (default 600; or DURATION=... in the environment)
# Environment:
#   DURATION     seconds the agent runs (default 600)
#   INTERVAL     agent push interval in seconds (default 30, what agents ship with)
#   AGENT_OPTS   JVM flags for the agent (default: the ExecStart flags of packaging/agent/dcmon-agent.service)
#   AGENT_ENV    environment for the agent (default: the unit's Environment= line, e.g. MALLOC_ARENA_MAX=2)
#   SERVER_JAR   default dcmon-server-app/target/dcmon-server.jar
#   AGENT_JAR    default dcmon-agent-app/target/dcmon-agent.jar
#   TLS=1        run the server with TLS (its generated self-signed certificate) and pin it at registration, as
#                installed agents do; the default is the dev server's plain HTTP
#   KEEP=1       keep the temporary directory (server log, agent log, config)
# Needs: java 17+, curl, jq. Talks to 127.0.0.1 only; every process it starts is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-${DURATION:-600}}"
INTERVAL="${INTERVAL:-30}"
UNIT="$ROOT/packaging/agent/dcmon-agent.service"
# the documented flags are the unit's: measure exactly what systemd runs
UNIT_OPTS="$(sed -n 's/^ExecStart=[^ ]*java \(.*\) -jar .*/\1/p' "$UNIT")"
UNIT_ENV="$(sed -n 's/^Environment=//p' "$UNIT" | tr '\n' ' ')"
AGENT_OPTS="${AGENT_OPTS:-$UNIT_OPTS}"
AGENT_ENV="${AGENT_ENV-$UNIT_ENV}"
SERVER_JAR="${SERVER_JAR:-$ROOT/dcmon-server-app/target/dcmon-server.jar}"
AGENT_JAR="${AGENT_JAR:-$ROOT/dcmon-agent-app/target/dcmon-agent.jar}"
FIXTURES="$ROOT/dcmon-hardware/src/test/resources/fixtures"
GPU_CSV="$FIXTURES/nvidia-smi/h100b-query-gpu-all-fields-load.csv"
GPU_APPS="$FIXTURES/nvidia-smi/h100b-compute-apps-load.csv"
IPMI_SENSOR="$FIXTURES/ipmitool/supermicro-x10-dual-socket-sensor-list.txt"

die() { echo "agent-footprint: $*" >&2; exit 2; }
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -ge 30 && "$DURATION" -le 86400 ]] \
  || die "DURATION was '$DURATION' but it must be whole seconds from 30 to 86400"
[[ "$INTERVAL" =~ ^[0-9]+$ && "$INTERVAL" -ge 5 && "$INTERVAL" -le 3600 ]] \
  || die "INTERVAL was '$INTERVAL' but it must be whole seconds from 5 to 3600"
for tool in java curl jq; do command -v "$tool" >/dev/null || die "$tool is needed but not on PATH"; done
for f in "$SERVER_JAR" "$AGENT_JAR"; do
  [[ -f "$f" ]] || die "$f is missing: build it with 'mvn -q -DskipTests package -pl dcmon-server-app,dcmon-agent-app -am'"
done
for f in "$GPU_CSV" "$GPU_APPS" "$IPMI_SENSOR"; do [[ -f "$f" ]] || die "fixture $f is missing"; done

WORK="$(mktemp -d -t dcmon-footprint-XXXXXX)"
SERVER_PID=""
AGENT_PID=""
cleanup() {
  for pid in "$AGENT_PID" "$SERVER_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- replay tools --------------------------------------------------------------------------------------------------
mkdir -p "$WORK/bin"
cat >"$WORK/bin/nvidia-smi" <<EOF
#!/bin/sh
# Replays nvidia-smi from a captured '--query-gpu=<all fields> --format=csv' output (header row names the fields),
# like io.dcmon.hardware.gpu.NvidiaSmiReplay: answers --query-gpu, --query-compute-apps and -L.
CSV='$GPU_CSV'
APPS='$GPU_APPS'
EOF
cat >>"$WORK/bin/nvidia-smi" <<'EOF'
query=""; apps=""; list=0; nounits=0
for a in "$@"; do
  case "$a" in
    --query-gpu=*) query="${a#--query-gpu=}" ;;
    --query-compute-apps=*) apps="${a#--query-compute-apps=}" ;;
    -L) list=1 ;;
    *nounits*) nounits=1 ;;
  esac
done
if [ -n "$query" ]; then file="$CSV"; fields="$query"
elif [ -n "$apps" ]; then file="$APPS"; fields="$apps"
elif [ "$list" = 1 ]; then file="$CSV"; fields="name,uuid"
else echo "ERROR: this replay answers --query-gpu, --query-compute-apps and -L only." ; exit 255; fi
exec awk -v fields="$fields" -v nounits="$nounits" -v list="$list" '
  function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
  BEGIN {
    # query aliases (io.dcmon.hardware.gpu.GpuField): the capture header prints one spelling only
    n = split("uuid gpu_uuid|name gpu_name|pci.bus_id gpu_bus_id|enforced.power.limit gpu.power.current_limit|power.limit gpu.power.requested_limit|clocks.current.sm clocks.sm|clocks.current.memory clocks.mem|clocks.current.graphics clocks.gr|clocks_event_reasons.active clocks_throttle_reasons.active clock_throttle_reasons.active|retired_pages.single_bit_ecc.count retired_pages.sbe|retired_pages.double_bit.count retired_pages.dbe|remapped_rows.correctable remapped_rows.sbe|remapped_rows.uncorrectable remapped_rows.dbe|used_memory used_gpu_memory", groups, "|")
    for (g = 1; g <= n; g++) { m = split(groups[g], names, " "); for (i = 1; i <= m; i++) group[names[i]] = groups[g] }
    nf = split(fields, want, ",")
  }
  NR == 1 {
    h = split($0, head, ",")
    for (i = 1; i <= h; i++) { c = trim(head[i]); u = index(c, " ["); if (u > 0) c = substr(c, 1, u - 1); if (!(c in col)) col[c] = i }
    for (f = 1; f <= nf; f++) {
      q = want[f]; pick[f] = (q in col) ? col[q] : 0
      if (!pick[f] && (q in group)) { m = split(group[q], names, " "); for (i = 1; i <= m && !pick[f]; i++) if (names[i] in col) pick[f] = col[names[i]] }
      if (!pick[f]) { printf "Field \"%s\" is not a valid field to query.\n\n", q; bad = 1; exit 2 }
    }
    next
  }
  /^[ \t]*$/ { next }
  {
    split($0, cell, ",")
    if (list) { printf "GPU %d: %s (UUID: %s)\n", NR - 2, trim(cell[pick[1]]), trim(cell[pick[2]]); next }
    line = ""
    for (f = 1; f <= nf; f++) {
      v = trim(cell[pick[f]])
      if (nounits && v !~ /^\[/ && match(v, / (MiB|W|%|MHz|us)$/)) v = substr(v, 1, RSTART - 1)
      line = line (f > 1 ? ", " : "") v
    }
    print line
  }
  END { if (bad) exit 2 }
' "$file"
EOF
cat >"$WORK/bin/ipmitool" <<EOF
#!/bin/sh
# Replays ipmitool: 'mc info' (a minimal synthetic answer: the collector only checks that the BMC answers) and
# 'sensor' (a captured Supermicro X10 listing). Everything else fails as on a board without that command.
SENSOR='$IPMI_SENSOR'
EOF
cat >>"$WORK/bin/ipmitool" <<'EOF'
case " $* " in
  *" mc info "*) printf 'Device ID                 : 32\nDevice Revision           : 1\nFirmware Revision         : 3.88\nIPMI Version              : 2.0\nManufacturer ID           : 10876\nManufacturer Name         : Super Micro Computer Inc.\n' ;;
  *" sensor "*) cat "$SENSOR" ;;
  *) echo "Unable to send RAW command (channel=0x0 netfn=0x30 lun=0x0 cmd=0x45 rsp=0xc1): Invalid command" >&2; exit 1 ;;
esac
EOF
chmod +x "$WORK/bin/nvidia-smi" "$WORK/bin/ipmitool"

# ---- server --------------------------------------------------------------------------------------------------------
if [[ "${TLS:-0}" == 1 ]]; then
  mkdir -p "$WORK/server"
  printf 'host: 127.0.0.1\nport: 0\nauth_dir: %s\ndb_path: %s\nuse_tls: true\n' "$WORK/server" "$WORK/server/dcmon.db" \
    >"$WORK/server.yaml"
  java -Xmx256m -jar "$SERVER_JAR" run --config "$WORK/server.yaml" >"$WORK/server.log" 2>&1 &
  LISTENING='s/.*dcmon server listening on \([^ ]*\).*/\1/p'
else
  java -Xmx256m -jar "$SERVER_JAR" run --dev --data-dir "$WORK/server" --port 0 >"$WORK/server.log" 2>&1 &
  LISTENING='s/.*dcmon server (dev mode) at \([^ ]*\).*/\1/p'
fi
SERVER_PID=$!
URL=""
for _ in $(seq 1 300); do
  URL="$(sed -n "$LISTENING" "$WORK/server.log" | head -n 1)"
  [[ -n "$URL" && -f "$WORK/server/admin_token" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server exited before listening"; }
  sleep 0.2
done
[[ -n "$URL" ]] || { tail -n 20 "$WORK/server.log" >&2; die "the server did not listen within 60 s"; }
PIN=()
CURL_TLS=()
if [[ "${TLS:-0}" == 1 ]]; then
  FINGERPRINT="$(sed -n 's/.*TLS certificate SHA-256 fingerprint: \([^ ]*\) .*/\1/p' "$WORK/server.log" | head -n 1)"
  [[ -n "$FINGERPRINT" ]] || die "the server did not log its certificate fingerprint"
  PIN=(--server-fingerprint "SHA256:$FINGERPRINT")
  CURL_TLS=(--insecure) # this script's own reads of the loopback server; the agent pins the certificate
fi
ADMIN="$(cat "$WORK/server/admin_token")"
api() { curl -fsS "${CURL_TLS[@]}" -H "Authorization: Bearer $ADMIN" "${URL%/}$1"; }

# ---- agent ---------------------------------------------------------------------------------------------------------
cat >"$WORK/agent.yaml" <<EOF
server: $URL
auth_dir: $WORK/auth
interval: $INTERVAL
spool_dir: $WORK/spool
log_level: info
tools:
  nvidia_smi:
    path: $WORK/bin/nvidia-smi
  ipmitool:
    path: $WORK/bin/ipmitool
  # only os + nvidia + ipmi: the other tool-backed collectors report themselves unavailable
  apt_get:
    path: $WORK/bin/absent-apt-get
  nvme:
    path: $WORK/bin/absent-nvme
  ipmicfg:
    path: $WORK/bin/absent-ipmicfg
EOF
java -jar "$AGENT_JAR" register --config "$WORK/agent.yaml" --server "$URL" --admin-token-file "$WORK/server/admin_token" \
  "${PIN[@]}" >"$WORK/register.log" 2>&1 || { cat "$WORK/register.log" >&2; die "agent registration failed"; }
CLIENT_ID="$(api /api/clients | jq -r '.[0].client_id')"

# shellcheck disable=SC2086 # AGENT_ENV and AGENT_OPTS are lists of words
env $AGENT_ENV java $AGENT_OPTS -jar "$AGENT_JAR" run --config "$WORK/agent.yaml" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# the JVM's own CPU (all its threads: utime + stime) and, apart, that of its finished children (cutime + cstime):
# the replay scripts standing in for nvidia-smi and ipmitool, whose cost says nothing about the agent
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0; }
child_ticks() { awk '{sub(/.*\) /, ""); print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU ticks per live thread, keyed by name without its number (dcmon-collector-3 -> dcmon-collector)
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    awk '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); sub(/.*\) /, "")
           gsub(/[- ]?[0-9]+$/, "", name); gsub(/ /, "_", name); print name, $12 + $13 }' "$t/stat" 2>/dev/null \
      || true   # a thread that ended since the listing
  done | awk '{ s[$1] += $2 } END { for (n in s) print n, s[n] }' | sort
}
TICKS="$(getconf CLK_TCK)"

echo "dcmon agent footprint: $DURATION s, interval $INTERVAL s, client $CLIENT_ID, server $URL${FINGERPRINT:+ (TLS, pinned)}"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -n 1)"
echo "agent JVM flags: $AGENT_OPTS"
echo "agent environment: ${AGENT_ENV:-(none)}"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %10s %12s\n' "t [s]" "RSS [MiB]" "CPU [s]"
START=$(date +%s)
STEADY_AT=$((INTERVAL * 2))     # startup (JVM, class loading, first JIT) is over after two cycles
STEADY_CPU=""
STEADY_T=""
PEAK=0
while :; do
  NOW=$(( $(date +%s) - START ))
  kill -0 "$AGENT_PID" 2>/dev/null || { tail -n 30 "$WORK/agent.log" >&2; die "the agent exited early"; }
  RSS=$(rss_kb "$AGENT_PID"); CPU=$(cpu_ticks "$AGENT_PID")
  (( RSS > PEAK )) && PEAK=$RSS
  if [[ -z "$STEADY_CPU" && $NOW -ge $STEADY_AT ]]; then
    STEADY_CPU=$CPU; STEADY_T=$NOW; STEADY_CHILD=$(child_ticks "$AGENT_PID"); thread_ticks "$AGENT_PID" >"$WORK/threads.start"
  fi
  awk -v t="$NOW" -v r="$RSS" -v c="$CPU" -v k="$TICKS" 'BEGIN { printf "%8d %10.1f %12.2f\n", t, r / 1024, c / k }'
  (( NOW >= DURATION )) && break
  sleep $(( DURATION - NOW < 30 ? (DURATION - NOW > 0 ? DURATION - NOW : 1) : 30 ))
done
END_T=$(( $(date +%s) - START ))
RSS_END=$(rss_kb "$AGENT_PID"); CPU_END=$(cpu_ticks "$AGENT_PID"); CHILD_END=$(child_ticks "$AGENT_PID")
HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$AGENT_PID/status")
RSS_SPLIT="$(awk '/^Rss(Anon|File|Shmem):/ {printf "%s %.1f MiB  ", $1, $2 / 1024}' "/proc/$AGENT_PID/status")"
thread_ticks "$AGENT_PID" >"$WORK/threads.end"
THREADS="$(awk '/^Threads:/ {print $2}' "/proc/$AGENT_PID/status")"

# ---- read the agent's own metrics back -----------------------------------------------------------------------------
FROM_MS=$(( (START - 60) * 1000 ))
series() { api "/api/metrics?client_id=$CLIENT_ID&metric=$1&from_ms=$FROM_MS" | jq -r '[.series[].points[].value] | @tsv'; }
BATCH_BYTES="$(series dcmon_agent_last_batch_bytes)"
STATS="$(api /api/stats)"
BATCHES="$(jq -r '.batches' <<<"$STATS")"
RECEIVED="$(jq -r '.samples_received' <<<"$STATS")"

echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v rss="$RSS_END" -v hwm="$HWM" -v cpu="$CPU_END" -v scpu="$STEADY_CPU" -v st="$STEADY_T" -v end="$END_T" \
    -v child="$CHILD_END" -v schild="${STEADY_CHILD:-0}" -v rsssplit="$RSS_SPLIT" -v threads="$THREADS" \
    -v iv="$INTERVAL" -v tck="$TICKS" -v bytes="$BATCH_BYTES" -v batches="$BATCHES" -v received="$RECEIVED" 'BEGIN {
  printf "RSS at end               %.1f MiB = %.1f MB (peak VmHWM %.1f MiB; %s; %d threads)\n", rss / 1024, rss * 1.024 / 1000, hwm / 1024, rsssplit, threads
  printf "CPU total (JVM)          %.2f s over %d s (%.2f%% of one core)\n", cpu / tck, end, 100 * cpu / tck / end
  cycles = (end - st) / iv
  if (cycles >= 1) {
    printf "CPU per cycle (JVM)      %.1f ms (%.2f s over %.1f cycles after the first %d s)\n", 1000 * (cpu - scpu) / tck / cycles, (cpu - scpu) / tck, cycles, st
    printf "CPU per cycle (children) %.1f ms (the replay scripts standing in for nvidia-smi and ipmitool, not the agent)\n", 1000 * (child - schild) / tck / cycles
  }
  n = split(bytes, b, "\t"); sum = 0; for (i = 1; i <= n; i++) sum += b[i]
  per = batches > 0 ? received / batches : 0
  if (n > 0 && b[1] != "") {
    printf "bytes per push (gzip)    %.0f average over %d pushes (dcmon_agent_last_batch_bytes), %.1f samples per push\n", sum / n, n, per
    if (per > 0) printf "bytes per 60 samples     %.0f\n", sum / n / per * 60
  } else print "bytes per push           unknown (no dcmon_agent_last_batch_bytes samples)"
}'
if [[ -s "$WORK/threads.start" ]]; then
  echo "JVM CPU per cycle by live thread (steady part; threads that ended are missing):"
  join -a 2 -e 0 -o 0,1.2,2.2 "$WORK/threads.start" "$WORK/threads.end" \
    | awk -v st="$STEADY_T" -v end="$END_T" -v iv="$INTERVAL" -v tck="$TICKS" '{ d = $3 - $2; if (d > 0) printf "  %-28s %6.1f ms\n", $1, 1000 * d / tck / ((end - st) / iv) }' \
    | sort -k2 -n -r
fi
