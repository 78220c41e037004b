#!/usr/bin/env bash
# Fault drills: gunicorn on PostgreSQL with Redis as the cache, 16 connections for 40 s, the
# fault at 12 s: Redis stopped for 5 s, then PostgreSQL restarted. Prints requests, answers
# by status and recovery time for each (last figures in bench/faults.out).
#
#   sudo bash bench/faults.sh   (root: it stops Redis and restarts PostgreSQL 15 "main";
#                                the demo content of `make run` on database advocacy_faults)
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${FAULTS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/advocacy_faults}"
export REDIS_URL="${FAULTS_REDIS_URL:-redis://127.0.0.1:6379/3}"
export DEBUG=0 SECRET_KEY="faults-only-key-not-a-secret-$(date +%s)-0123456789abcdefghij"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=ERROR
# The anonymous API throttle would answer 429 to this load: lifted for the drill only (per second:
# a minute's window would be a throttle history far longer than production's; bench/pages.sh).
export API_RATE_ANONYMOUS=1000000/second
PORT="${FAULTS_PORT:-8767}"
BASE="http://127.0.0.1:$PORT"

psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='advocacy_faults'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE advocacy_faults" >/dev/null
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --threads 2 \
  --log-level warning >/tmp/faults-gunicorn.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 1
done

statement=$(curl -fsS "$BASE/api/v1/statements/?page_size=1" \
  | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["url"])' \
  | sed -E 's#^https?://[^/]+##')
paths=("$statement" "/api/v1/statements/" "/en/casualties/" "/api/v1/casualties/stats/?group_by=year,outcome")
echo "gunicorn: 2 workers x 2 threads; 16 connections for 40 s; paths: ${paths[*]}"
echo
for fault in redis postgres; do
  .venv/bin/python bench/faults.py --base "$BASE" --fault "$fault" "${paths[@]}"
  echo "healthz now: $(curl -sS "$BASE/healthz")"
  echo
done
