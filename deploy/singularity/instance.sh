#!/usr/bin/env bash
# Runs Clocktower services as Apptainer/Singularity instances named clocktower-SERVICE.
#
#   instance.sh start SERVICE [ENV_FILE]      start it, then wait until GET /readyz answers 200
#   instance.sh stop SERVICE [ENV_FILE]       SIGTERM (graceful), SIGKILL after the stop timeout
#   instance.sh status [SERVICE [ENV_FILE]]   list the instances and each one's /readyz
#
# SERVICE: gateway slurm-collector job-projection pipeline-orchestrator service-manager embedded
# ENV_FILE: KEY=VALUE lines (see clocktower.env.example); the instance gets only this file and the
# image's defaults (--cleanenv), so stray variables of the login shell cannot leak in. start
# records the /readyz URL (from PORT/HOST in ENV_FILE) for status; stop ignores ENV_FILE.
#
# Environment:
#   CLOCKTOWER_SIF_DIR         where SERVICE.sif is (default: build/ next to this script)
#   CLOCKTOWER_BIND            --bind spec, e.g. /srv/clocktower/data:/var/lib/clocktower
#   CLOCKTOWER_READY_TIMEOUT   seconds to wait for /readyz on start (default 120)
#   CLOCKTOWER_STOP_TIMEOUT    seconds between SIGTERM and SIGKILL on stop (default 30)
#   CLOCKTOWER_STATE_DIR       where the health URL of each started instance is kept
#                              (default ~/.clocktower/instances)
#   CLOCKTOWER_CONTAINER_CMD   apptainer or singularity (default: whichever is found)
#
# Exit status: 0 success / all shown instances ready; 1 failure or not ready; 2 usage error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIF_DIR="${CLOCKTOWER_SIF_DIR:-$here/build}"
READY_TIMEOUT="${CLOCKTOWER_READY_TIMEOUT:-120}"
STOP_TIMEOUT="${CLOCKTOWER_STOP_TIMEOUT:-30}"
STATE_DIR="${CLOCKTOWER_STATE_DIR:-$HOME/.clocktower/instances}"
ALL_SERVICES=(gateway slurm-collector job-projection pipeline-orchestrator service-manager embedded)
declare -A DEFAULT_PORT=([gateway]=8080 [slurm-collector]=8081 [job-projection]=8082
  [pipeline-orchestrator]=8083 [service-manager]=8084 [embedded]=8080)

die() {
  echo "instance.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed -E 's/^# ?//' >&2
  exit 2
}

container_cmd() {
  if [ -n "${CLOCKTOWER_CONTAINER_CMD:-}" ]; then
    command -v "$CLOCKTOWER_CONTAINER_CMD" >/dev/null 2>&1 ||
      die "CLOCKTOWER_CONTAINER_CMD=$CLOCKTOWER_CONTAINER_CMD is not on PATH"
    echo "$CLOCKTOWER_CONTAINER_CMD"
  elif command -v apptainer >/dev/null 2>&1; then
    echo apptainer
  elif command -v singularity >/dev/null 2>&1; then
    echo singularity
  else
    die "neither apptainer nor singularity is on PATH (on HPC systems try 'module load apptainer')"
  fi
}

check_service() {
  if [ -z "$1" ] || [ -z "${DEFAULT_PORT[$1]+set}" ]; then
    echo "instance.sh: unknown service '$1'; one of: ${ALL_SERVICES[*]}" >&2
    exit 2
  fi
}

# env_value KEY FILE: the last plain KEY=VALUE (or export KEY=VALUE) in FILE, quotes removed.
# Deliberately not `source FILE`: reading a setting must not run the file.
env_value() {
  sed -n -E "s/^[[:space:]]*(export[[:space:]]+)?$1=(.*)$/\\2/p" "$2" | tail -n 1 |
    sed -E "s/[[:space:]]+#.*$//; s/^\"(.*)\"$/\\1/; s/^'(.*)'$/\\1/"
}

# readyz_url SERVICE [ENV_FILE]: where the service answers, from PORT/HOST in the file or defaults.
readyz_url() {
  local port="" host=""
  if [ -n "${2:-}" ]; then
    port="$(env_value PORT "$2")"
    host="$(env_value HOST "$2")"
  fi
  port="${port:-${DEFAULT_PORT[$1]}}"
  case "$host" in
    "" | 0.0.0.0 | "::" | "[::]") host=127.0.0.1 ;; # bound to all interfaces: ask loopback
    *:*) host="[$host]" ;;                           # an IPv6 address
    *) ;;
  esac
  echo "http://$host:$port/readyz"
}

is_running() { # is_running INSTANCE_NAME
  "$CT" instance list "$1" 2>/dev/null | awk -v n="$1" 'NR > 1 && $1 == n { found = 1 } END { exit !found }'
}

instance_pid() {
  "$CT" instance list "$1" 2>/dev/null | awk -v n="$1" 'NR > 1 && $1 == n { print $2 }'
}

# probe URL INSTANCE_NAME BODY_FILE: prints the HTTP status (000 = no answer), body to BODY_FILE.
# curl when the host has it, otherwise Node inside the instance (same network namespace).
probe() {
  if command -v curl >/dev/null 2>&1; then
    curl --silent --max-time 3 --output "$3" --write-out '%{http_code}' "$1" || true
  else
    "$CT" exec "instance://$2" node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(3000) }).then(
        async (r) => { process.stderr.write(await r.text()); console.log(r.status); },
        () => console.log("000"));' "$1" 2>"$3" || echo 000
  fi
}

show_logs() { # the tail of the instance's stderr log; Apptainer keeps it after the instance exits
  local name="$1" log="" f
  for f in "$HOME"/.apptainer/instances/logs/*/"$(id -un)/$name.err" \
    "$HOME"/.singularity/instances/logs/*/"$(id -un)/$name.err"; do
    if [ -f "$f" ] && { [ -z "$log" ] || [ "$f" -nt "$log" ]; }; then log="$f"; fi
  done
  if [ -n "$log" ]; then
    echo "--- last lines of $log" >&2
    tail -n 20 "$log" >&2
  else
    echo "(no log found; '$CT instance list --logs' shows where logs go)" >&2
  fi
}

start() {
  local service="$1" env_file="${2:-}" name="clocktower-$1" sif url body code="000"
  sif="$SIF_DIR/$service.sif"
  [ -f "$sif" ] || die "$sif not found: run build.sh, or set CLOCKTOWER_SIF_DIR"
  if [ -n "$env_file" ]; then
    [ -r "$env_file" ] || die "cannot read env file $env_file"
    env_file="$(cd "$(dirname "$env_file")" && pwd)/$(basename "$env_file")"
  fi
  url="$(readyz_url "$service" "$env_file")"

  if is_running "$name"; then
    echo "$name is already running (pid $(instance_pid "$name")); checking readiness"
  else
    local opts=(--cleanenv)
    if [ -n "$env_file" ]; then opts+=(--env-file "$env_file"); fi
    if [ -n "${CLOCKTOWER_BIND:-}" ]; then opts+=(--bind "$CLOCKTOWER_BIND"); fi
    echo "starting $name from $sif"
    "$CT" instance start "${opts[@]}" "$sif" "$name"
  fi
  mkdir -p "$STATE_DIR"
  echo "$url" >"$STATE_DIR/$name.url"

  body="$(mktemp)"
  # shellcheck disable=SC2064 # expand now: $body is local to this function
  trap "rm -f '$body'" EXIT
  local started=$SECONDS deadline=$((SECONDS + READY_TIMEOUT)) last_report=-1
  while :; do
    if ! is_running "$name"; then
      echo "$name exited during start-up" >&2
      show_logs "$name"
      exit 1
    fi
    code="$(probe "$url" "$name" "$body")"
    if [ "$code" = 200 ]; then
      echo "$name is ready ($url, after $((SECONDS - started))s)"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name not ready after ${READY_TIMEOUT}s (last answer: HTTP $code); it keeps running" >&2
      if [ -s "$body" ]; then
        echo "--- last /readyz report:" >&2
        cat "$body" >&2
        echo >&2
      fi
      show_logs "$name"
      exit 1
    fi
    # One progress line every 5 s, so a log file shows progress too (not only a terminal).
    if [ "$last_report" -lt 0 ] || [ $((SECONDS - last_report)) -ge 5 ]; then
      echo "  waiting for $url: HTTP $code ($((SECONDS - started))s of ${READY_TIMEOUT}s)"
      last_report=$SECONDS
    fi
    sleep 1
  done
}

stop() {
  local name="clocktower-$1"
  if ! is_running "$name"; then
    echo "$name is not running"
  else
    # SIGTERM first: the service closes its subscriptions and store before exiting.
    "$CT" instance stop --signal TERM --timeout "$STOP_TIMEOUT" "$name"
  fi
  rm -f "$STATE_DIR/$name.url"
}

status() { # status [SERVICE [ENV_FILE]]
  local services=("${ALL_SERVICES[@]}") env_file="${2:-}" service name url code all_ready=0 body
  if [ "$#" -gt 0 ]; then services=("$1"); fi
  if [ -n "$env_file" ] && [ ! -r "$env_file" ]; then die "cannot read env file $env_file"; fi
  "$CT" instance list 'clocktower-*'
  echo
  body="$(mktemp)"
  # shellcheck disable=SC2064 # expand now: $body is local to this function
  trap "rm -f '$body'" EXIT
  printf '%-24s %-9s %-8s %s\n' SERVICE STATE READYZ URL
  for service in "${services[@]}"; do
    name="clocktower-$service"
    if ! is_running "$name"; then
      # Only a service asked for by name counts as a failure when it is not running.
      if [ "$#" -gt 0 ]; then all_ready=1; fi
      printf '%-24s %-9s %-8s %s\n' "$service" stopped - -
      continue
    fi
    if [ -n "$env_file" ]; then
      url="$(readyz_url "$service" "$env_file")"
    else
      url="$(cat "$STATE_DIR/$name.url" 2>/dev/null || readyz_url "$service")"
    fi
    code="$(probe "$url" "$name" "$body")"
    if [ "$code" != 200 ]; then all_ready=1; fi
    printf '%-24s %-9s %-8s %s\n' "$service" running "$code" "$url"
  done
  return "$all_ready"
}

[ "$#" -ge 1 ] || usage
command="$1"
shift
case "$command" in
  start)
    if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then usage; fi
    check_service "$1"
    CT="$(container_cmd)"
    start "$@"
    ;;
  stop)
    if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then usage; fi
    check_service "$1"
    CT="$(container_cmd)"
    stop "$1"
    ;;
  status)
    if [ "$#" -gt 2 ]; then usage; fi
    if [ "$#" -ge 1 ]; then check_service "$1"; fi
    CT="$(container_cmd)"
    status "$@"
    ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
