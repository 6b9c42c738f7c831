#!/usr/bin/env bash
# Measures DESIGN.md's performance budget: requests/s of GET a status, POST a status and the
# context of a 200-reply thread, each as a ratio to a bare Django view measured in the same run,
# all on gunicorn with 2 sync workers against PostgreSQL. Needs `wrk` (apt-get install wrk).
# Usage: bench/run.sh [seconds per measurement, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
BIN=.venv/bin
# Ports and database may be overridden so that two checkouts can measure side by side.
APP_PORT="${APP_PORT:-8101}"
BARE_PORT="${BARE_PORT:-8102}"
DB="${BENCH_DB:-duostatus_bench}"
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${DB}}"
# Mastodon's throttles (300 requests per token per 5 minutes) would stop the load at once.
export INSTANCE_DOMAIN="127.0.0.1:${APP_PORT}" DEBUG=0 LOG_LEVEL=ERROR RATE_LIMITS_ENABLED=0

command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 2; }
if [[ "$DATABASE_URL" == *"/${DB}" ]]; then
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
fi
$BIN/python manage.py migrate --noinput -v 0
ROOT=$($BIN/python manage.py seed --statuses 40 --replies 200 | sed -n 's/^Thread root: //p')
TOKEN=$($BIN/python manage.py create_token alice)
export TOKEN
$BIN/python manage.py collectstatic --noinput -v 0

$BIN/gunicorn config.wsgi -w 2 -b 127.0.0.1:${APP_PORT} --log-level error &
APP_PID=$!
$BIN/gunicorn bench.bare:application -w 2 -b 127.0.0.1:${BARE_PORT} --log-level error &
BARE_PID=$!
trap 'kill $APP_PID $BARE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:${BARE_PORT}/bare" >/dev/null \
    && curl -sf "http://127.0.0.1:${APP_PORT}/api/v1/instance" >/dev/null && break
  sleep 0.2
done
STATUS=$(curl -sf -H "Authorization: Bearer ${TOKEN}" -d "status=Benchmark target #bench" \
  "http://127.0.0.1:${APP_PORT}/api/v1/statuses" | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["id"])')
# Two favourites on it (alice's and bob's), for favourited_by.
BOB_TOKEN=$($BIN/python manage.py create_token bob)
for t in "$TOKEN" "$BOB_TOKEN"; do
  curl -sf -X POST -H "Authorization: Bearer ${t}" \
    "http://127.0.0.1:${APP_PORT}/api/v1/statuses/${STATUS}/favourite" >/dev/null
done

measure() {  # name url [wrk args...]
  local name=$1 url=$2; shift 2
  wrk -t2 -c8 -d2s "$@" "$url" >/dev/null  # warm-up
  local rps
  rps=$(wrk -t2 -c8 -d"${DURATION}s" "$@" "$url" | awk '/Requests\/sec/ {print $2}')
  local errors
  errors=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
  echo "$name $rps"
}

BARE=$(measure bare "http://127.0.0.1:${BARE_PORT}/bare" | awk '{print $2}')
GET=$(measure get "http://127.0.0.1:${APP_PORT}/api/v1/statuses/${STATUS}" -s bench/auth.lua | awk '{print $2}')
GET_ANON=$(measure get_anon "http://127.0.0.1:${APP_PORT}/api/v1/statuses/${STATUS}" | awk '{print $2}')
POST=$(measure post "http://127.0.0.1:${APP_PORT}/api/v1/statuses" -s bench/post.lua | awk '{print $2}')
CONTEXT=$(measure context "http://127.0.0.1:${APP_PORT}/api/v1/statuses/${ROOT}/context" -s bench/auth.lua | awk '{print $2}')
# The same status through SelfCommunity's face, and SelfCommunity's create (category 2 is a
# seeded demo category).
SC_GET=$(measure sc_get "http://127.0.0.1:${APP_PORT}/api/v2/status/${STATUS}/" -s bench/auth.lua | awk '{print $2}')
SC_POST=$(measure sc_post "http://127.0.0.1:${APP_PORT}/api/v2/status/" -s bench/sc_post.lua | awk '{print $2}')
FAV_BY=$(measure favourited_by "http://127.0.0.1:${APP_PORT}/api/v1/statuses/${STATUS}/favourited_by" -s bench/auth.lua | awk '{print $2}')
HOME=$(measure home "http://127.0.0.1:${APP_PORT}/api/v1/timelines/home?limit=20" -s bench/auth.lua | awk '{print $2}')
PUBLIC=$(measure public "http://127.0.0.1:${APP_PORT}/api/v1/timelines/public?limit=20" | awk '{print $2}')
SC_LIST=$(measure sc_list "http://127.0.0.1:${APP_PORT}/api/v2/status/?limit=20" -s bench/auth.lua | awk '{print $2}')

$BIN/python - "$BARE" "$GET" "$GET_ANON" "$POST" "$CONTEXT" "$SC_GET" "$SC_POST" "$FAV_BY" \
  "$HOME" "$PUBLIC" "$SC_LIST" <<'PY'
import sys
(bare, get, get_anon, post, context, sc_get, sc_post, fav_by, home, public,
 sc_list) = map(float, sys.argv[1:])
rows = [("GET a status (token)", get, 0.50), ("GET a status (anonymous)", get_anon, 0.50),
        ("POST a status", post, 0.20), ("context, 200 replies (token)", context, 0.10),
        ("SelfCommunity GET a status (token)", sc_get, 0.40),
        ("SelfCommunity POST a status", sc_post, 0.15),
        ("favourited_by (token)", fav_by, 0.0),
        ("home timeline, 20 (token)", home, 0.0),
        ("public timeline, 20 (anonymous)", public, 0.15),
        ("SelfCommunity list of 20 (token)", sc_list, 0.15)]
print(f"bare Django view: {bare:.0f} req/s")
failed = False
for name, rps, target in rows:
    ratio = rps / bare
    ok = ratio >= target
    failed |= not ok
    print(f"{name:36s} {rps:8.0f} req/s  ratio {ratio:.2f}  target >= {target:.2f}  {'PASS' if ok else 'FAIL'}")
sys.exit(1 if failed else 0)
PY
