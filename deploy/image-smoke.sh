#!/usr/bin/env bash
# Builds the JVM image from src/main/docker/Dockerfile.jvm with podman and boots it twice, as docs/deployment.md
# describes:
#   1. no database configured: the embedded PostgreSQL starts with its data in a volume; read-only root filesystem,
#      /tmp a tmpfs; readiness on 9000 must be UP, the UI on 8080 must answer, the process must not be root, the root
#      filesystem must refuse writes; then it is stopped and started again on the same volume (the data is kept);
#   2. QUARKUS_DATASOURCE_JDBC_URL/_USERNAME/_PASSWORD pointing at a PostgreSQL server in a second container of the
#      same pod (Debian's postgresql, built here): a central node (api,analyzer,notifier) ready with its startup and
#      liveness probes answering, and a checker of region eu-west, ready by the compose file's healthcheck command,
#      that the central analyzer sees live.
# Prints the image size, the build time and each boot's time to ready. Exits non-zero on the first failed check.
#
#   deploy/image-smoke.sh                 # runs ./mvnw package -DskipTests first unless SKIP_PACKAGE=1
#
# Environment:
#   BASE_IMAGE     the Dockerfile's base (default localhost/debian:bookworm-minbase, made here with debootstrap from
#                  Debian's packages when absent; with a registry at hand: docker.io/library/debian:bookworm-slim)
#   OCI_RUNTIME    podman's runtime (default runc: this machine's crun 1.8 refuses its cgroup v1/v2 hybrid layout)
#   NOFILE / NPROC ulimits of every container (default 20000 / 32768: this sandbox refuses podman's defaults of
#                  1048576 and raising them beyond its own hard limits); both go into a containers.conf of this run
#   IMAGE          tag to build (default localhost/gatewatch/gatewatch-jvm:smoke); KEEP=1 keeps containers and volume
#   HTTP_PORT / MANAGEMENT_PORT   host loopback ports published (default 18080 / 19000)
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE=${BASE_IMAGE:-localhost/debian:bookworm-minbase}
OCI_RUNTIME=${OCI_RUNTIME:-runc}
NOFILE=${NOFILE:-20000}
NPROC=${NPROC:-32768}
IMAGE=${IMAGE:-localhost/gatewatch/gatewatch-jvm:smoke}
PG_IMAGE=localhost/gatewatch-smoke/postgres:15
HTTP_PORT=${HTTP_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-19000}
READY_TIMEOUT=${READY_TIMEOUT:-180}
NAME=gatewatch-smoke
VOLUME=gatewatch-smoke-data
PODMAN=(podman)
# Also the pod's infra container and build steps, which take no --ulimit of their own.
export CONTAINERS_CONF
CONTAINERS_CONF=$(mktemp)
cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=$NOFILE:$NOFILE", "nproc=$NPROC:$NPROC"]
[engine]
runtime = "$OCI_RUNTIME"
CONF

say() { printf 'image-smoke: %s\n' "$*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
  [[ "${KEEP:-0}" == 1 ]] && return
  "${PODMAN[@]}" rm -f -t 30 "$NAME" "$NAME-checker" "$NAME-external" >/dev/null 2>&1 || true
  "${PODMAN[@]}" pod rm -f "$NAME-pod" >/dev/null 2>&1 || true
  "${PODMAN[@]}" volume rm -f "$VOLUME" "$VOLUME-pg" >/dev/null 2>&1 || true
}
trap 'cleanup; rm -f "$CONTAINERS_CONF"' EXIT

command -v podman >/dev/null || fail "podman is not installed (apt-get install podman buildah runc uidmap slirp4netns)"
command -v curl >/dev/null || fail "curl is not installed"

if [[ "${SKIP_PACKAGE:-0}" != 1 ]]; then
  say "packaging: ./mvnw -B -q package -DskipTests"
  ./mvnw -B -q package -DskipTests
fi
[[ -f target/quarkus-app/quarkus-run.jar ]] || fail "target/quarkus-app/quarkus-run.jar missing: run ./mvnw package -DskipTests"

# A Debian 12 base from Debian's own packages, trimmed like the official slim image (no apt lists, .debs, docs).
if ! podman image exists "$BASE_IMAGE"; then
  [[ "$BASE_IMAGE" == localhost/* ]] || fail "base image $BASE_IMAGE not present: podman pull it first"
  command -v debootstrap >/dev/null || fail "debootstrap is not installed (apt-get install debootstrap)"
  rootfs=$(mktemp -d /var/tmp/gatewatch-rootfs.XXXXXX)
  say "making $BASE_IMAGE with debootstrap --variant=minbase bookworm in $rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log" >&2; fail "debootstrap failed"; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
  tar -C "$rootfs" -c . | podman import -q - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
fi

cleanup
say "building $IMAGE from src/main/docker/Dockerfile.jvm on $BASE_IMAGE"
t=$(now)
"${PODMAN[@]}" build -q --no-cache --build-arg BASE_IMAGE="$BASE_IMAGE" \
  -f src/main/docker/Dockerfile.jvm -t "$IMAGE" . >/dev/null
build_s=$(since "$t")
size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
say "built in ${build_s} s (--no-cache, the JRE from Debian's packages); image size $((size / 1000000)) MB ($size bytes, uncompressed)"

# (Whole logs into a variable: grep -q closing a pipe early would fail it under pipefail.)
logs_of() { "${PODMAN[@]}" logs "$1" 2>&1; }

# Waits for readiness on the management port; prints the seconds from $1 to UP.
await_ready() {
  local start=$1 container=$2 status
  while :; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" || true)
    [[ "$status" == 200 ]] && break
    if [[ "$("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" != true ]]; then
      "${PODMAN[@]}" logs "$container" 2>&1 | tail -30 >&2
      fail "$container stopped before it was ready"
    fi
    awk -v a="$start" -v b="$(now)" -v m="$READY_TIMEOUT" 'BEGIN { exit !(b - a > m) }' \
      && { "${PODMAN[@]}" logs "$container" 2>&1 | tail -30 >&2; fail "$container not ready after $READY_TIMEOUT s"; }
    sleep 0.25
  done
  [[ $(curl -fsS "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready") == *'"status": "UP"'* ]] || fail "readiness is not UP"
  since "$start"
}

# The checks every boot must pass: UI answers, not root, root filesystem read-only.
check_running() {
  local container=$1 code uid
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/login")
  [[ "$code" == 200 ]] || fail "UI on $HTTP_PORT answered $code for /login"
  uid=$("${PODMAN[@]}" top "$container" huser | awk 'NR > 1 { print $1 }' | sort -u)
  [[ -n "$uid" && "$uid" != 0 && "$uid" != root ]] || fail "processes run as '$uid'"
  if "${PODMAN[@]}" exec "$container" sh -c 'touch /deployments/probe' 2>/dev/null; then
    fail "the root filesystem took a write"
  fi
  say "  UI /login 200, processes run as uid $uid only, root filesystem read-only"
}

# Read-only root; /tmp is where the embedded PostgreSQL binaries are unpacked and run from, so it needs exec.
# shellcheck disable=SC2054 # the commas are tmpfs options
HARDENED=(--read-only --tmpfs /tmp:rw,exec,nosuid,nodev,size=512m --cap-drop ALL --security-opt no-new-privileges)

say "run 1: no database configured (embedded PostgreSQL, data in volume $VOLUME)"
"${PODMAN[@]}" volume create "$VOLUME" >/dev/null
t=$(now)
"${PODMAN[@]}" run -d --name "$NAME" "${HARDENED[@]}" -v "$VOLUME:/deployments/data" \
  -e QUARKUS_MANAGEMENT_HOST=0.0.0.0 \
  -p "127.0.0.1:$HTTP_PORT:8080" -p "127.0.0.1:$MANAGEMENT_PORT:9000" "$IMAGE" >/dev/null
say "  ready in $(await_ready "$t" "$NAME") s (first boot: initdb + migrations)"
[[ $(logs_of "$NAME") == *'Database: embedded PostgreSQL'* ]] || fail "no embedded PostgreSQL in the log"
check_running "$NAME"
t=$(now)
"${PODMAN[@]}" stop -t 60 "$NAME" >/dev/null
say "  stopped in $(since "$t") s (SIGTERM; the embedded server is stopped after the application)"
t=$(now)
"${PODMAN[@]}" start "$NAME" >/dev/null
say "  restarted on the same volume: ready in $(await_ready "$t" "$NAME") s"
[[ $(logs_of "$NAME" | grep -c 'Initialising embedded PostgreSQL') == 1 ]] \
  || fail "the restart initialised the data directory again"
check_running "$NAME"
"${PODMAN[@]}" rm -f -t 60 "$NAME" >/dev/null

say "run 2: external PostgreSQL (Debian's postgresql-15 in a second container of one pod)"
"${PODMAN[@]}" build -q -t "$PG_IMAGE" --build-arg BASE_IMAGE="$BASE_IMAGE" -f - . >/dev/null <<'EOF'
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* && install -d -o postgres -g postgres /var/lib/gatewatch-pg
USER postgres
ENTRYPOINT ["/bin/sh", "-c", "set -e; D=/var/lib/gatewatch-pg/data; if [ ! -s $D/PG_VERSION ]; then echo \"$POSTGRES_PASSWORD\" > /tmp/pw; /usr/lib/postgresql/15/bin/initdb -D $D -U gatewatch --pwfile=/tmp/pw -A scram-sha-256 -E UTF-8 >/dev/null; rm /tmp/pw; fi; exec /usr/lib/postgresql/15/bin/postgres -D $D -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp"]
EOF
password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
"${PODMAN[@]}" volume create "$VOLUME-pg" >/dev/null
"${PODMAN[@]}" pod create --name "$NAME-pod" -p "127.0.0.1:$HTTP_PORT:8080" -p "127.0.0.1:$MANAGEMENT_PORT:9000" >/dev/null
"${PODMAN[@]}" run -d --pod "$NAME-pod" --name "$NAME-external" -e POSTGRES_PASSWORD="$password" \
  -v "$VOLUME-pg:/var/lib/gatewatch-pg" "$PG_IMAGE" >/dev/null
for _ in $(seq 1 120); do
  "${PODMAN[@]}" exec "$NAME-external" /usr/lib/postgresql/15/bin/pg_isready -q -h 127.0.0.1 && break
  sleep 0.5
done
"${PODMAN[@]}" exec -e PGPASSWORD="$password" "$NAME-external" psql -q -h 127.0.0.1 -U gatewatch -d postgres \
  -c 'create database gatewatch' >/dev/null
# The layout of the Helm chart and the compose file: a central node and a checker of another region.
t=$(now)
"${PODMAN[@]}" run -d --pod "$NAME-pod" --name "$NAME" "${HARDENED[@]}" \
  -e GATEWATCH_ROLES=api,analyzer,notifier -e QUARKUS_MANAGEMENT_HOST=0.0.0.0 \
  -e QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/gatewatch \
  -e QUARKUS_DATASOURCE_USERNAME=gatewatch -e QUARKUS_DATASOURCE_PASSWORD="$password" "$IMAGE" >/dev/null
say "  central node (api,analyzer,notifier) ready in $(await_ready "$t" "$NAME") s (no data volume: read-only root, tmpfs /tmp)"
[[ $(logs_of "$NAME") == *'Database: external PostgreSQL 15'* ]] || fail "not on the external PostgreSQL"
check_running "$NAME"
for path in /q/health/started /q/health/live; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANAGEMENT_PORT$path")
  [[ "$code" == 200 ]] || fail "$path (the chart's startup/liveness probe) answered $code"
done
# Same pod, so other ports: the checker serves the same two listeners.
t=$(now)
"${PODMAN[@]}" run -d --pod "$NAME-pod" --name "$NAME-checker" "${HARDENED[@]}" \
  -e GATEWATCH_ROLES=checker -e GATEWATCH_CHECKER_REGION=eu-west -e JDK_JAVA_OPTIONS='-Xmx256m -XX:+ExitOnOutOfMemoryError' \
  -e QUARKUS_HTTP_PORT=8081 -e QUARKUS_MANAGEMENT_PORT=9001 \
  -e QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/gatewatch \
  -e QUARKUS_DATASOURCE_USERNAME=gatewatch -e QUARKUS_DATASOURCE_PASSWORD="$password" "$IMAGE" >/dev/null
# The compose file's healthcheck command, against the checker's management port.
until "${PODMAN[@]}" exec "$NAME-checker" bash -c \
    "exec 3<>/dev/tcp/127.0.0.1/9001 && printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3 && head -n 1 <&3 | grep -q ' 200 '" \
    2>/dev/null; do
  [[ "$("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$NAME-checker")" == true ]] \
    || { logs_of "$NAME-checker" | tail -30 >&2; fail "the checker stopped"; }
  awk -v a="$t" -v b="$(now)" -v m="$READY_TIMEOUT" 'BEGIN { exit !(b - a > m) }' && fail "checker not ready after $READY_TIMEOUT s"
  sleep 0.5
done
say "  checker (region eu-west) ready in $(since "$t") s by the compose healthcheck's bash probe"
for _ in $(seq 1 60); do
  [[ $(logs_of "$NAME") == *'region eu-west is live'* ]] && break
  sleep 0.5
done
[[ $(logs_of "$NAME") == *'region eu-west is live'* ]] || fail "the central analyzer never saw region eu-west"
say "  the central node's analyzer sees region eu-west live"
say "all checks passed"
