#!/usr/bin/env bash
# Starts dcmon on this machine for a first look: a server in dev mode (loopback, plain HTTP, data under
# ./dcmon-data) and an agent registered to it. Builds the jars first if they are missing. Ctrl-C stops both.
#   ./dcmon-dev.sh [PORT]      (default port 8080)
set -euo pipefail
cd "$(dirname "$0")"

port="${1:-8080}"
data="$PWD/dcmon-data"
server_jar=dcmon-server-app/target/dcmon-server.jar
agent_jar=dcmon-agent-app/target/dcmon-agent.jar

if [ ! -f "$server_jar" ] || [ ! -f "$agent_jar" ]; then
  echo "Building dcmon (first run only; takes a few minutes)..."
  mvn -B -q -ntp -DskipTests package
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "dcmon stopped. Data kept in $data"
}
trap cleanup INT TERM EXIT

mkdir -p "$data"
java -Xmx128m -jar "$server_jar" run --dev --data-dir "$data" --port "$port" &
pids+=($!)

url="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  if [ -s "$data/admin_token" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "the server did not start; see the messages above" >&2; exit 1; fi
  sleep 0.5
done

agent_auth="$data/agent"
java -Xmx64m -jar "$agent_jar" register --server "$url" --admin-token-file "$data/admin_token" --auth-dir "$agent_auth"
java -Xmx64m -jar "$agent_jar" run --server "$url" --auth-dir "$agent_auth" --interval 10 &
pids+=($!)

cat <<MSG

dcmon is running.
  dashboard:    $url/ui/    (log in with the admin token)
  API:          $url/api/   (e.g. curl -H "Authorization: Bearer \$(cat $data/admin_token)" $url/api/clients)
  admin token:  $data/admin_token
  database:     $data/dcmon.db
Press Ctrl-C to stop both the server and the agent.
MSG
wait
