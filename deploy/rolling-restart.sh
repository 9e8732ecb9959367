#!/usr/bin/env bash
# Restarts hokm@PORT instances one at a time. After each restart it waits until the new process
# is alive (/health/live), ready (/health: Redis answers) and back UP in HAProxy before it
# touches the next one, so at most one instance is ever out of the balance. Stops at the first
# instance that does not come back, leaving the others running.
#
#   deploy/rolling-restart.sh            every active hokm@*.service
#   deploy/rolling-restart.sh 3001 3002  these ports only
#
# HAPROXY_STATS (default http://127.0.0.1:8404/stats;csv) and HAPROXY_BACKEND (default hokm)
# point at deploy/haproxy.cfg's stats listener. WAIT_SECONDS (default 90) bounds each wait.
set -euo pipefail

STATS="${HAPROXY_STATS:-http://127.0.0.1:8404/stats;csv}"
BACKEND="${HAPROXY_BACKEND:-hokm}"
WAIT_SECONDS="${WAIT_SECONDS:-90}"

ports=("$@")
if [ "${#ports[@]}" -eq 0 ]; then
  mapfile -t ports < <(systemctl list-units --type=service --state=active --plain --no-legend \
    'hokm@*.service' | sed -nE 's/^hokm@([0-9]+)\.service.*/\1/p')
fi
if [ "${#ports[@]}" -eq 0 ]; then
  echo "no active hokm@PORT.service found" >&2
  exit 1
fi

# Waits until "$@" succeeds, at most WAIT_SECONDS.
wait_until() {
  local what="$1"
  shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "gave up after ${WAIT_SECONDS}s waiting for ${what}" >&2
      return 1
    fi
    sleep 0.5
  done
}

# True when every server of the backend is UP in HAProxy's CSV stats.
all_up() {
  curl -fsS "$STATS" | awk -F, -v backend="$BACKEND" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") col = i; next }
    $1 == backend && $2 != "BACKEND" && $2 != "FRONTEND" { servers++; if ($col != "UP") down++ }
    END { exit (col && servers > 0 && down == 0) ? 0 : 1 }'
}

wait_until "every server of backend ${BACKEND} to be UP before starting" all_up
for port in "${ports[@]}"; do
  echo "--- hokm@${port}: restarting (drains, tells its clients, exits; systemd starts it again)"
  systemctl restart "hokm@${port}.service"
  wait_until "hokm@${port} to be alive" curl -fsS "http://127.0.0.1:${port}/health/live"
  wait_until "hokm@${port} to be ready" curl -fsS "http://127.0.0.1:${port}/health"
  wait_until "HAProxy to have hokm@${port} back UP" all_up
  echo "--- hokm@${port}: back in the balance"
done
echo "--- done: ${ports[*]}"
