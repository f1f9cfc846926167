#!/usr/bin/env bash
# Starts the embedded suite the way a user does (`npm start`), proves a lead survives a
# restart, and runs the k6 lead-capture scenario briefly against it. Installs k6 with the Go
# module proxy (cached in GOPATH between runs). Everything listens on loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin:${GOPATH:-$HOME/go}/bin"
K6_VERSION=v1.4.2
if ! command -v k6 >/dev/null 2>&1 || ! k6 version 2>/dev/null | grep -q "${K6_VERSION#v}"; then
  echo "installing k6 ${K6_VERSION} with go install (first run compiles it; later runs are cached)"
  (cd /tmp && go install "go.k6.io/k6@${K6_VERSION}")
fi
k6 version

data=$(mktemp -d)
log=$(mktemp)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -INT "$pid"; wait "$pid" || true; fi
  rm -rf "$data" "$log"
}
trap cleanup EXIT
export CRM_DATA_DIR="$data" CRM_PG_PORT=${CRM_PG_PORT:-54399} LOG_LEVEL=warn

start_suite() {
  node apps/launcher/dist/main.js >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    grep -q "the suite is up" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "k6-smoke: the suite exited"; return 1; }
    sleep 1
  done
  cat "$log"; echo "k6-smoke: the suite was not up within 120 s"; return 1
}
stop_suite() { kill -INT "$pid"; wait "$pid" || true; pid=""; }

npm run build --silent
start_suite
id=$(curl -sf -X POST 127.0.0.1:3101/v1/leads -H 'content-type: application/json' -H 'x-tenant-id: smoke' \
  -d '{"name":"持久化测试","email":"persist@example.cn","channel":"api"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).id')
echo "captured lead $id"
for _ in $(seq 1 40); do curl -sf -H 'x-tenant-id: smoke' "127.0.0.1:3105/v1/leads/$id" >/dev/null && break; sleep 0.25; done
curl -sf -H 'x-tenant-id: smoke' "127.0.0.1:3105/v1/leads/$id" >/dev/null || { echo "k6-smoke: lead not in insights within 10 s"; exit 1; }
stop_suite
echo "restarting the suite"
start_suite
curl -sf -H 'x-tenant-id: smoke' "127.0.0.1:3105/v1/leads/$id" >/dev/null || { echo "k6-smoke: lead lost across a restart"; exit 1; }
curl -sf -H 'x-tenant-id: smoke' "127.0.0.1:3101/v1/leads/$id" >/dev/null || { echo "k6-smoke: lead stream lost across a restart"; exit 1; }
echo "lead $id survived the restart"
k6 run --quiet -e SMOKE=1 -e VUS=4 -e DURATION=${K6_DURATION:-15s} load-tests/lead-capture.js
