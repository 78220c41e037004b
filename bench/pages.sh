#!/usr/bin/env bash
# Public pages and API against the framework's floor, in one run (issue 15).
#
#   bash bench/pages.sh     (needs wrk: apt-get install wrk; PostgreSQL on 127.0.0.1:5432,
#                            Redis on 127.0.0.1:6379)
#
# Builds the benchmark database if missing (bench/api_data.py: 1,000 statements, 100,000
# casualties), then starts three gunicorn servers, each `--workers 2` (sync) with production
# settings (DEBUG off) on PostgreSQL and Redis:
#   floor     bench/floor.py, a bare Django view: what Django and gunicorn cost by themselves;
#   cached    the site with its page cache (the second request of a page onwards);
#   uncached  the site with PAGE_CACHE=0: every request goes through the views and their
#             queries, as the first one after a change (figures of the register stay in their
#             own cache, as after a change of statements; a statement page whose values are
#             the same is not drawn again: statements/statement_page.py);
#   drawn     PAGE_CACHE=0 and FRAGMENT_MEMORY=0, for the statement page only: drawn anew on
#             every request, as the first view of a statement after a change of its own.
# wrk (-t2 -c16, BENCH_SECONDS each) measures every URL on both, twice, each beside a
# measurement of the floor taken just before it, and prints requests per second, that floor,
# and the share of it.
# Then the casualty page and the statistics API are timed on a cold register cache (the
# register version raised before each request) over the 100,000 casualties.
# The last run's output is kept in bench/pages.out.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/advocacy_bench}"
export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/7}"
export DEBUG=0 SECRET_KEY="bench-only-key-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
# Throttling would measure the throttle: lift it for the benchmark only. Per second, not per
# minute: DRF keeps every request's time within the window, and a minute of the benchmark's
# requests is a list of 16,000 (131 KB read from and written to Redis on every API request,
# 0.8 ms of a 4.5 ms API list in-process), where the production rates keep at most 120
# (API_RATE_ANONYMOUS) or 1,200 (API_RATE_KEY). A second of them is about 400.
export API_RATE_ANONYMOUS=1000000/second
DURATION="${BENCH_SECONDS:-10}"
FLOOR_PORT=8770 CACHED_PORT=8771 UNCACHED_PORT=8772 DRAWN_PORT=8773
PY=.venv/bin/python

psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='advocacy_bench'" \
  | grep -q 1 || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE advocacy_bench" >/dev/null
DEBUG=1 $PY bench/api_data.py
DEBUG=1 $PY manage.py collectstatic --no-input -v0
redis-cli -u "$REDIS_URL" flushdb >/dev/null

servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true' EXIT
serve() {  # port, wsgi app, extra environment
  local port=$1 app=$2
  shift 2
  env "$@" .venv/bin/gunicorn "$app" --bind "127.0.0.1:$port" --workers 2 \
    --log-level warning >>/tmp/bench-pages-gunicorn.log 2>&1 &
  servers+=($!)
}
serve $FLOOR_PORT bench.floor:application
serve $CACHED_PORT config.wsgi PAGE_CACHE=1
serve $UNCACHED_PORT config.wsgi PAGE_CACHE=0
serve $DRAWN_PORT config.wsgi PAGE_CACHE=0 FRAGMENT_MEMORY=0
for port in $FLOOR_PORT $CACHED_PORT $UNCACHED_PORT $DRAWN_PORT; do
  for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    curl -sS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.5
  done
done

statement=$(DEBUG=1 $PY -c '
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from statements.models import Edition
print(Edition.objects.published().in_language("en").order_by("-issued_on").first().get_absolute_url())
' 2>/dev/null | tail -1)
# The sitemap of statements the index names first (the latest month).
month_sitemap=$(curl -fsS "http://127.0.0.1:$CACHED_PORT/sitemap.xml" \
  | grep -o 'sitemap-statements-[0-9-]*\.xml' | head -1 | sed 's|^|/|')
api_id=$(curl -fsS "http://127.0.0.1:$CACHED_PORT/api/v1/statements/?page_size=1" \
  | $PY -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')

URLS=(
  "statement page|$statement"
  "home page|/en/"
  "statements list|/en/statements/"
  "casualties page|/en/casualties/"
  "API list, page_size=50|/api/v1/statements/?page_size=50"
  "API statement detail|/api/v1/statements/$api_id/"
  "stats API (year, outcome)|/api/v1/casualties/stats/?group_by=year,outcome"
  "Atom feed|/en/statements/feed.atom"
  "sitemap index|/sitemap.xml"
  "sitemap of a month|$month_sitemap"
)

rps() {  # port, path -> requests per second
  curl -fsS -o /dev/null "http://127.0.0.1:$1$2"  # warm up (fills the cache)
  curl -fsS -o /dev/null "http://127.0.0.1:$1$2"
  wrk -t2 -c16 -d"${DURATION}s" "http://127.0.0.1:$1$2" >/tmp/bench-pages-wrk.txt
  if grep -q "Non-2xx" /tmp/bench-pages-wrk.txt; then
    echo "error: non-2xx answers from $2" >&2
    cat /tmp/bench-pages-wrk.txt >&2
    exit 1
  fi
  awk '/Requests\/sec/ {printf "%.0f", $2}' /tmp/bench-pages-wrk.txt
  # Let the server finish what wrk left in flight (16 slow requests) before the next run.
  sleep 2
}

sitemap_bytes=$(curl -fsS -o /dev/null -w '%{size_download}' \
  "http://127.0.0.1:$CACHED_PORT$month_sitemap")
declare -A result
# Not counted: every URL on every server for a second first, so that both workers of each
# have loaded their templates, prepared their statements and filled their memory before the
# first measurement (round 1 once measured its first URL at two thirds of round 2).
wrk -t2 -c16 -d1s "http://127.0.0.1:$FLOOR_PORT/" >/dev/null
for port in $CACHED_PORT $UNCACHED_PORT $DRAWN_PORT; do
  for entry in "${URLS[@]}"; do
    wrk -t2 -c16 -d1s "http://127.0.0.1:$port${entry#*|}" >/dev/null
  done
done
{
  echo "bench/pages.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; gunicorn --workers 2 (sync)"
  echo "each server; PostgreSQL, Redis, DEBUG off; wrk -t2 -c16 -d${DURATION}s; two rounds."
  echo "Statements: $(psql -h 127.0.0.1 -U postgres -d advocacy_bench -tAc \
    "SELECT count(*) FROM statements_edition WHERE state='published'") published;"\
    "casualties: $(psql -h 127.0.0.1 -U postgres -d advocacy_bench -tAc \
    'SELECT count(*) FROM victims_casualty')."
  echo
  for round in 1 2; do
    # Each URL beside its own floor, measured just before it: this machine's speed drifts
    # (other guests on the host), so a share is taken against the floor of the same minute.
    for entry in "${URLS[@]}"; do
      path=${entry#*|}
      result[floor,$entry,$round]=$(rps $FLOOR_PORT /)
      result[cached,$entry,$round]=$(rps $CACHED_PORT "$path")
      result[uncached,$entry,$round]=$(rps $UNCACHED_PORT "$path")
    done
    result[floor,drawn,$round]=$(rps $FLOOR_PORT /)
    result[drawn,$round]=$(rps $DRAWN_PORT "$statement")
    result[floor,sized,$round]=$(rps $FLOOR_PORT /)
    result[sized,$round]=$(rps $FLOOR_PORT "/bytes/$sitemap_bytes")
  done
  share() { echo "100 * $1 / $2" | bc -l; }
  printf '%-28s %26s   %26s\n' "" "round 1" "round 2"
  printf '%-28s %26s   %26s\n' "" "req/s (floor)   share" "req/s (floor)   share"
  line() {  # name, then req/s and floor of each round
    printf '  %-26s %6s (%6s) %6.1f %%   %6s (%6s) %6.1f %%\n' "$1" "$2" "$3" \
      "$(share "$2" "$3")" "$4" "$5" "$(share "$4" "$5")"
  }
  for mode in cached uncached; do
    echo
    echo "$mode:"
    for entry in "${URLS[@]}"; do
      line "${entry%%|*}" "${result[$mode,$entry,1]}" "${result[floor,$entry,1]}" \
        "${result[$mode,$entry,2]}" "${result[floor,$entry,2]}"
    done
  done
  echo
  echo "uncached, and not drawn before (FRAGMENT_MEMORY=0):"
  line "statement page" "${result[drawn,1]}" "${result[floor,drawn,1]}" \
    "${result[drawn,2]}" "${result[floor,drawn,2]}"
  echo
  echo "bare view answering $sitemap_bytes bytes (the month sitemap's size):"
  line "floor for the sitemap" "${result[sized,1]}" "${result[floor,sized,1]}" \
    "${result[sized,2]}" "${result[floor,sized,2]}"
  echo
  echo "Cold register figures (register version raised before each request), ms:"
  for path in /en/casualties/ "/api/v1/casualties/stats/?group_by=year,outcome" \
    "/api/v1/casualties/stats/?group_by=area,outcome"; do
    times=()
    for _ in 1 2 3 4 5; do
      psql -h 127.0.0.1 -U postgres -d advocacy_bench -qc \
        "UPDATE pagecache_publicversion SET version = version + 1,
         nonce = (random() * 1e15)::bigint WHERE surface = 'register'"
      times+=("$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$CACHED_PORT$path")")
    done
    printf '  %-48s %s\n' "$path" "$(printf '%s\n' "${times[@]}" \
      | awk '{printf "%.0f ", $1 * 1000}')"
  done
} | tee bench/pages.out
