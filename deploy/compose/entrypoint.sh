#!/bin/sh
# Container entrypoint: runs the Clocktower service named by $SERVICE.
#   clocktower-entrypoint [NODE_ARGS...]   exec the service (extra arguments go to its main.js)
#   clocktower-entrypoint --check          only verify that $SERVICE names a built service
# POSIX sh: the slim image's /bin/sh is dash.
set -eu

APP_DIR=/app
case "${SERVICE:-}" in
  embedded)
    main="$APP_DIR/apps/embedded/dist/main.js" ;;
  gateway | slurm-collector | job-projection | pipeline-orchestrator | service-manager)
    main="$APP_DIR/services/$SERVICE/dist/app/main.js" ;;
  *)
    echo "clocktower: SERVICE must be one of gateway, slurm-collector, job-projection," \
      "pipeline-orchestrator, service-manager, embedded (got '${SERVICE:-}')" >&2
    exit 64 ;;
esac

if [ ! -f "$main" ]; then
  echo "clocktower: $main is missing; the image was not built with 'npm run build'" >&2
  exit 1
fi
if [ "${1:-}" = "--check" ]; then
  exit 0
fi

# exec: node replaces the shell and receives SIGTERM itself (compose adds tini as PID 1 via
# `init: true`; with plain `docker run`, pass --init).
exec node "$main" "$@"
