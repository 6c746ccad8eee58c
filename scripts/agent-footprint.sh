#!/usr/bin/env bash
# Measures the dcmon agent's footprint: runs the real agent jar for a bounded time against a dev server this script
# starts on 127.0.0.1, with the os collector plus nvidia-smi and ipmitool answered by replay scripts that print
# captured outputs (dcmon-hardware/src/test/resources/fixtures). Prints RSS over time, CPU time per collection
# cycle and compressed bytes per push, read back from the agent's own metrics through the server API.
# CPU is reported for the whole run and, apart, for the steady part after WARMUP: the JVM's total, each group of
# threads (collector workers, push loop, command poll, JIT, GC, VM threads, other; from /proc/PID/task/*/schedstat,
# read at the end of the warm-up and at the end) and the collectors' own share (their worker and timer threads).
#
# Usage: scripts/agent-footprint.sh [DURATION_SECONDS]     (default 600; or DURATION=... in the environment)
# Environment:
#   DURATION     seconds the agent runs (default 600)
#   WARMUP       seconds counted as warm-up (JVM start, class loading, first JIT); the steady part is the rest
#                (default: the first half of DURATION)
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
WARMUP="${WARMUP:-$((DURATION / 2))}"
[[ "$WARMUP" =~ ^[0-9]+$ && "$WARMUP" -lt "$DURATION" && $((DURATION - WARMUP)) -ge "$INTERVAL" ]] \
  || die "WARMUP was '$WARMUP' but it must be whole seconds that leave at least one interval ($INTERVAL s) of the $DURATION s"
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
# CPU per live thread: "tid<TAB>nanoseconds<TAB>name"; schedstat's first field is the thread's time on a CPU in
# ns (utime + stime in clock ticks where the kernel has no schedstat)
thread_cpu() {
  local t ns name
  for t in /proc/"$1"/task/*; do
    name="$(cat "$t/comm" 2>/dev/null)" || continue   # a thread that ended since the listing
    if [[ -r "$t/schedstat" ]]; then
      ns="$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null)" || continue
    else
      ns="$(awk -v tck="$TICKS" '{sub(/.*\) /, ""); printf "%.0f", ($12 + $13) * 1e9 / tck}' "$t/stat" 2>/dev/null)" || continue
    fi
    printf '%s\t%s\t%s\n' "${t##*/}" "$ns" "$name"
  done
}
# the inodes of the agent's open sockets, one a line
socket_inodes() {
  local fd
  for fd in /proc/"$1"/fd/*; do
    fd="$(readlink "$fd" 2>/dev/null)" || continue
    [[ "$fd" == socket:* ]] && echo "${fd//[!0-9]/}"
  done
  return 0
}
TICKS="$(getconf CLK_TCK)"

echo "dcmon agent footprint: $DURATION s (warm-up $WARMUP s), interval $INTERVAL s, client $CLIENT_ID, server $URL${FINGERPRINT:+ (TLS, pinned)}"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -n 1)"
echo "agent JVM flags: $AGENT_OPTS"
echo "agent environment: ${AGENT_ENV:-(none)}"
echo "start: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %10s %12s\n' "t [s]" "RSS [MiB]" "CPU [s]"
START=$(date +%s)
STEADY_CPU=""
STEADY_T=""
STEADY_CHILD=0
PEAK=0
NEXT_ROW=0
: >"$WORK/sockets.seen"
# sampled every 5 s (sockets: a connection kept alive shows the same inode in every sample, a fresh one per push a
# new one); a row every 30 s
while :; do
  NOW=$(( $(date +%s) - START ))
  kill -0 "$AGENT_PID" 2>/dev/null || { tail -n 30 "$WORK/agent.log" >&2; die "the agent exited early"; }
  RSS=$(rss_kb "$AGENT_PID"); CPU=$(cpu_ticks "$AGENT_PID")
  (( RSS > PEAK )) && PEAK=$RSS
  socket_inodes "$AGENT_PID" >>"$WORK/sockets.seen"
  if [[ -z "$STEADY_CPU" && $NOW -ge $WARMUP ]]; then
    STEADY_CPU=$CPU; STEADY_T=$NOW; STEADY_CHILD=$(child_ticks "$AGENT_PID"); thread_cpu "$AGENT_PID" >"$WORK/threads.start"
    socket_inodes "$AGENT_PID" >"$WORK/sockets.steady"
  fi
  if (( NOW >= NEXT_ROW || NOW >= DURATION )); then
    awk -v t="$NOW" -v r="$RSS" -v c="$CPU" -v k="$TICKS" 'BEGIN { printf "%8d %10.1f %12.2f\n", t, r / 1024, c / k }'
    NEXT_ROW=$(( NEXT_ROW + 30 ))
  fi
  (( NOW >= DURATION )) && break
  NAP=$(( DURATION - NOW < 5 ? DURATION - NOW : 5 ))
  (( WARMUP > NOW && WARMUP - NOW < NAP )) && NAP=$(( WARMUP - NOW ))
  sleep $(( NAP > 0 ? NAP : 1 ))
done
END_T=$(( $(date +%s) - START ))
RSS_END=$(rss_kb "$AGENT_PID"); CPU_END=$(cpu_ticks "$AGENT_PID"); CHILD_END=$(child_ticks "$AGENT_PID")
thread_cpu "$AGENT_PID" >"$WORK/threads.end"
HWM=$(awk '/^VmHWM:/ {print $2}' "/proc/$AGENT_PID/status")
RSS_SPLIT="$(awk '/^Rss(Anon|File|Shmem):/ {printf "%s %.1f MiB  ", $1, $2 / 1024}' "/proc/$AGENT_PID/status")"
THREADS="$(awk '/^Threads:/ {print $2}' "/proc/$AGENT_PID/status")"
SOCKETS_END="$(socket_inodes "$AGENT_PID" | wc -l)"
# distinct sockets seen in the steady part: the samples after the warm-up (sockets.seen holds every sample in order)
SOCKETS_STEADY="$(cat "$WORK/sockets.steady" - <"$WORK/sockets.seen" | sort -u | wc -l)"
SOCKETS_ALL="$(sort -u "$WORK/sockets.seen" | wc -l)"

# ---- read the agent's own metrics back -----------------------------------------------------------------------------
FROM_MS=$(( (START - 60) * 1000 ))
series() { api "/api/metrics?client_id=$CLIENT_ID&metric=$1&from_ms=$FROM_MS" | jq -r '[.series[].points[].value] | @tsv'; }
BATCH_BYTES="$(series dcmon_agent_last_batch_bytes)"
STATS="$(api /api/stats)"
BATCHES="$(jq -r '.batches' <<<"$STATS")"
RECEIVED="$(jq -r '.samples_received' <<<"$STATS")"

echo
echo "end: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v rss="$RSS_END" -v hwm="$HWM" -v cpu="$CPU_END" -v scpu="$STEADY_CPU" -v st="$STEADY_T" -v end="$END_T" \
    -v child="$CHILD_END" -v schild="$STEADY_CHILD" -v rsssplit="$RSS_SPLIT" -v threads="$THREADS" \
    -v iv="$INTERVAL" -v tck="$TICKS" -v bytes="$BATCH_BYTES" -v batches="$BATCHES" -v received="$RECEIVED" 'BEGIN {
  printf "RSS at end               %.1f MiB = %.1f MB (peak VmHWM %.1f MiB; %s; %d threads)\n", rss / 1024, rss * 1.024 / 1000, hwm / 1024, rsssplit, threads
  printf "CPU total (JVM)          %.2f s over %d s (%.2f%% of one core)\n", cpu / tck, end, 100 * cpu / tck / end
  printf "CPU per cycle (JVM, all) %.1f ms (whole run, warm-up included: %.1f cycles)\n", 1000 * cpu / tck / (end / iv), end / iv
  cycles = (end - st) / iv
  if (cycles > 0) {
    printf "CPU per cycle (JVM)      %.1f ms steady (%.2f s over %.1f cycles after the first %d s)\n", 1000 * (cpu - scpu) / tck / cycles, (cpu - scpu) / tck, cycles, st
    printf "CPU per cycle (children) %.1f ms steady (the replay scripts standing in for nvidia-smi and ipmitool, not the agent)\n", 1000 * (child - schild) / tck / cycles
  }
  n = split(bytes, b, "\t"); sum = 0; for (i = 1; i <= n; i++) sum += b[i]
  per = batches > 0 ? received / batches : 0
  if (n > 0 && b[1] != "") {
    printf "bytes per push (gzip)    %.0f average over %d pushes (dcmon_agent_last_batch_bytes), %.1f samples per push\n", sum / n, n, per
    if (per > 0) printf "bytes per 60 samples     %.0f\n", sum / n / per * 60
  } else print "bytes per push           unknown (no dcmon_agent_last_batch_bytes samples)"
}'
echo "sockets                  $SOCKETS_END open at end; $SOCKETS_STEADY distinct seen in the steady part, $SOCKETS_ALL in the whole run (sampled every 5 s)"
if [[ -s "$WORK/threads.start" ]]; then
  echo "JVM CPU per cycle in the steady part, by thread group:"
  # threads started after the warm-up count from zero; ended ones are missing from threads.end
  awk -F '\t' -v st="$STEADY_T" -v end="$END_T" -v iv="$INTERVAL" -v tck="$TICKS" -v cpu="$CPU_END" -v scpu="$STEADY_CPU" '
    # thread names as the kernel keeps them: 15 characters (dcmon-collector-3 and dcmon-collector-timer-1 both
    # read dcmon-collector); the main thread of the JVM is "java"
    function group(n) {
      if (n ~ /^dcmon-collector/) return "collector workers and timer"
      if (n == "process reaper") return "process reaper (waits for the tools)"
      if (n == "java" || n == "main") return "push loop (main)"
      if (n ~ /^dcmon-agent-com/) return "command poll"
      if (n ~ /^C[12] CompilerThre/) return "JIT compiler (C1/C2)"
      if (n ~ /^(GC |G1 |VM Thread)/) return "VM Thread and GC (Serial GC runs in the VM Thread)"
      if (n ~ /^(VM |Monitor Defl|Service Thread|Signal Dispatch|Reference Hand|Finalizer|Common-Cleaner|Sweeper|Notification)/) return "other VM threads"
      return "other: " n
    }
    FNR == NR { before[$1] = $2; next }
    { d = $2 - ($1 in before ? before[$1] : 0); g = group($3); ms[g] += d / 1e6; total += d / 1e6
      if (g ~ /^(collector|process reaper)/) coll += d / 1e6 }
    END {
      cycles = (end - st) / iv
      for (g in ms) printf "  %-52s %7.1f ms\n", g, ms[g] / cycles
      jvm = 1000 * (cpu - scpu) / tck
      printf "  %-52s %7.1f ms\n", "(ended threads: the JVM total less the live ones)", (jvm - total) / cycles
      printf "collectors own CPU per cycle (workers, timer, process reaper): %.1f ms steady\n", coll / cycles
    }' "$WORK/threads.start" "$WORK/threads.end"
fi
