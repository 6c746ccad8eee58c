#!/usr/bin/env bash
# Start time and RSS of the server jar with the flags the README recommends: starts `dcmon-server run --dev` on a
# free loopback port with a fresh data dir, times launch -> first answer of GET /health, sends 20 admin requests,
# then reads VmRSS. Repeats RUNS times (default 3) and prints one line per run.
#   scripts/server-footprint.sh [path/to/dcmon-server.jar]
# Build the jar first: mvn -pl dcmon-server-app -am package -DskipTests
set -euo pipefail

jar=${1:-dcmon-server-app/target/dcmon-server.jar}
runs=${RUNS:-3}
flags=(-Xms24m -Xmx128m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError)
export MALLOC_ARENA_MAX=2   # as the packaged unit's Environment=
if [[ ! -f "$jar" ]]; then
    echo "no server jar at $jar; build it with: mvn -pl dcmon-server-app -am package -DskipTests" >&2
    exit 2
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

echo "flags: ${flags[*]}; $(java -version 2>&1 | head -n 1); $(nproc) CPUs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
    data=$(mktemp -d)
    port=$(free_port)
    start=$(date +%s%N)
    java "${flags[@]}" -jar "$jar" run --dev --data-dir "$data" --port "$port" >"$data/server.log" 2>&1 &
    pid=$!
    ready=""
    ticks=0
    for _ in $(seq 1 600); do
        if [[ -f "$data/admin_token" ]] && curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$data/admin_token")" \
            "http://127.0.0.1:$port/health" 2>/dev/null; then
            ready=$(date +%s%N)
            # CPU time the JVM used until then (user + system, in clock ticks): unlike the wall time it hardly
            # depends on what else the machine runs
            ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "run $run: the server exited; its log:" >&2
            cat "$data/server.log" >&2
            exit 1
        fi
        sleep 0.05
    done
    if [[ -z "$ready" ]]; then
        kill "$pid"
        echo "run $run: no answer from GET /health within 30 s" >&2
        exit 1
    fi
    token=$(cat "$data/admin_token")
    for _ in $(seq 1 20); do
        curl -fsS -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/stats"
    done
    rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    printf 'run %d: answered GET /health %.2f s after launch (%.2f s of CPU); RSS after start and 20 requests: %d MB (%d MiB)\n' \
        "$run" "$(echo "($ready - $start) / 1000000000" | bc -l)" "$(echo "$ticks / $(getconf CLK_TCK)" | bc -l)" \
        "$((rss_kb * 1024 / 1000000))" "$((rss_kb / 1024))"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$data"
done
