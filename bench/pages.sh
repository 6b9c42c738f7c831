#!/usr/bin/env bash
# Requests/s of the public HTML pages (a status page, the root of a 200-reply thread, whose page
# shows Mastodon's anonymous cap of 60 replies, and an account page), next to a bare Django view
# measured in the same run, on gunicorn with 2 sync workers against PostgreSQL. Needs `wrk`.
# Informational: DESIGN.md sets no target for pages. Usage: bench/pages.sh [seconds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-5}"
BIN=.venv/bin
APP_PORT=8111
BARE_PORT=8112
DB=duostatus_pages_bench
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/${DB}}"
export INSTANCE_DOMAIN="127.0.0.1:${APP_PORT}" DEBUG=0 LOG_LEVEL=ERROR RATE_LIMITS_ENABLED=0

command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 2; }
if [[ "$DATABASE_URL" == *"/${DB}" ]]; then
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ${DB}" -c "CREATE DATABASE ${DB}"
fi
$BIN/python manage.py migrate --noinput -v 0
ROOT=$($BIN/python manage.py seed --replies 200 | sed -n 's/^Thread root: //p')
ROOT_USER=$($BIN/python manage.py shell -v 0 -c \
  "from statuses.models import Status; print(Status.objects.get(pk=${ROOT}).account.username)")
TOKEN=$($BIN/python manage.py create_token alice)
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
STATUS=$(curl -sf -H "Authorization: Bearer ${TOKEN}" -d "status=Benchmark page #bench" \
  "http://127.0.0.1:${APP_PORT}/api/v1/statuses" | $BIN/python -c 'import json,sys; print(json.load(sys.stdin)["id"])')

measure() {  # url
  wrk -t2 -c8 -d2s "$1" >/dev/null
  wrk -t2 -c8 -d"${DURATION}s" "$1" | awk '/Requests\/sec/ {print $2}'
}
BARE=$(measure "http://127.0.0.1:${BARE_PORT}/bare")
for row in "status page|/@alice/${STATUS}" "200-reply thread page|/@${ROOT_USER}/${ROOT}" \
           "account page|/@alice"; do
  name=${row%%|*} path=${row#*|}
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${APP_PORT}${path}")
  rps=$(measure "http://127.0.0.1:${APP_PORT}${path}")
  $BIN/python -c "import sys; n, c, r, b = sys.argv[1:]; print(f'{n:24s} HTTP {c}  {float(r):7.0f} req/s  ratio {float(r)/float(b):.2f}')" \
    "$name" "$code" "$rps" "$BARE"
done
echo "bare Django view: ${BARE} req/s"
