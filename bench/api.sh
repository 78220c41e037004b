#!/usr/bin/env bash
# API throughput and latency: wrk against gunicorn on PostgreSQL with 1,000 statements and
# 100,000 casualties. Prints requests per second and p50/p99 latency for the statement list
# (page_size 50), one statement, and the statistics endpoint.
#
#   bash bench/api.sh        (needs wrk: apt-get install wrk; PostgreSQL on 127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/advocacy_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/6}"
export DEBUG=0 SECRET_KEY="bench-only-key-not-a-secret-$(date +%s)-0123456789abcdefghij"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
# Throttling would measure the throttle: lift it for the benchmark only (per second:
# a minute's window would be a throttle history far longer than production's; bench/pages.sh).
export API_RATE_ANONYMOUS=1000000/second
PORT="${BENCH_PORT:-8766}"
DURATION="${BENCH_SECONDS:-15}"

psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='advocacy_bench'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE advocacy_bench" >/dev/null
.venv/bin/python bench/api_data.py
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 2 \
  --log-level warning >/tmp/bench-gunicorn.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done

id=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/statements/?page_size=1" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
run() {
  local name=$1 path=$2
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT$path"  # warm up
  wrk -t2 -c8 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$path" >/tmp/bench-wrk.txt
  rps=$(awk '/Requests\/sec/ {print $2}' /tmp/bench-wrk.txt)
  p50=$(awk '$1=="50%" {print $2}' /tmp/bench-wrk.txt)
  p99=$(awk '$1=="99%" {print $2}' /tmp/bench-wrk.txt)
  errors=$(grep -E "Non-2xx|Socket errors" /tmp/bench-wrk.txt | tr -s ' ' || true)
  printf '%-34s %8s req/s   p50 %8s   p99 %8s %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
}
echo "gunicorn: 2 workers x 2 threads; wrk: 2 threads, 8 connections, ${DURATION}s each"
run "statements list (page_size=50)" "/api/v1/statements/?page_size=50"
run "statement detail" "/api/v1/statements/$id/"
run "casualty stats (year,outcome)" "/api/v1/casualties/stats/?group_by=year,outcome"
run "casualty stats (area,outcome)" "/api/v1/casualties/stats/?group_by=area,outcome"
