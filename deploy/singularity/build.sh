#!/usr/bin/env bash
# Builds the Clocktower Apptainer/Singularity images into deploy/singularity/build/:
#   clocktower-base.sif (Node 24 + built code + production dependencies) and one small image per
#   service on top of it.
#
#   build.sh [--skip-npm] [SERVICE...]   default: every service
#
#   --skip-npm   do not run `npm ci && npm run build` at the repository root (use what is built)
#   SERVICE      gateway slurm-collector job-projection pipeline-orchestrator service-manager embedded
#
# Environment: CLOCKTOWER_CONTAINER_CMD (apptainer or singularity; default: whichever is found),
# CLOCKTOWER_BUILD_FLAGS (flags for `build`, e.g. "--fakeroot --tmpdir /scratch/$USER"; when unset,
# --fakeroot is used for non-root users, which needs /etc/subuid entries on SingularityCE).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ALL_SERVICES=(gateway slurm-collector job-projection pipeline-orchestrator service-manager embedded)

die() {
  echo "build.sh: $*" >&2
  exit 1
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

skip_npm=false
services=()
for arg in "$@"; do
  case "$arg" in
    --skip-npm) skip_npm=true ;;
    -h | --help)
      sed -n '2,13p' "${BASH_SOURCE[0]}" | sed -E 's/^# ?//'
      exit 0
      ;;
    -*) die "unknown option $arg (see --help)" ;;
    *)
      [ -f "$here/$arg.def" ] || die "unknown service '$arg' (no $arg.def); one of: ${ALL_SERVICES[*]}"
      services+=("$arg")
      ;;
  esac
done
[ "${#services[@]}" -gt 0 ] || services=("${ALL_SERVICES[@]}")

ct="$(container_cmd)"
# ${build_flags[@]+"${build_flags[@]}"} below: bash 4.2 (still on some clusters) calls an empty
# array unbound under `set -u`.
build_flags=()
if [ -n "${CLOCKTOWER_BUILD_FLAGS:-}" ]; then
  read -r -a build_flags <<<"$CLOCKTOWER_BUILD_FLAGS"
elif [ "$(id -u)" -ne 0 ]; then
  build_flags=(--fakeroot)
fi

# 1. Install and compile at the repository root (scripts/node24.sh provides Node 24).
if [ "$skip_npm" = false ]; then
  echo "==> npm ci && npm run build (in $root)"
  (cd "$root" && scripts/node24.sh npm ci && npm run build)
fi
for s in "${ALL_SERVICES[@]}"; do
  if [ "$s" = embedded ]; then main="apps/embedded/dist/main.js"; else main="services/$s/dist/app/main.js"; fi
  [ -f "$root/$main" ] || die "$main is missing: run 'npm run build' at the repository root (or drop --skip-npm)"
done

# 2. Stage what the images need: the manifests, the lockfile and every package's dist/.
#    Sources, tests and node_modules stay out; the base image runs `npm ci --omit=dev` itself.
mkdir -p "$here/build"
staged=(package.json package-lock.json)
if [ -f "$root/.npmrc" ]; then staged+=(.npmrc); fi
for dir in "$root"/libs/*/ "$root"/services/*/ "$root"/apps/*/; do
  rel="${dir#"$root/"}"
  rel="${rel%/}"
  if [ -f "$root/$rel/package.json" ]; then staged+=("$rel/package.json"); fi
  if [ -d "$root/$rel/dist" ]; then staged+=("$rel/dist"); fi
done
echo "==> staging ${#staged[@]} paths into build/clocktower-app.tar.gz"
tar -C "$root" --exclude='*.tsbuildinfo' -czf "$here/build/clocktower-app.tar.gz" "${staged[@]}"

# 3. Build. The .def files use paths relative to this directory (build/...), hence the cd.
cd "$here"
echo "==> $ct build clocktower-base.sif"
"$ct" build ${build_flags[@]+"${build_flags[@]}"} --force build/clocktower-base.sif clocktower-base.def
for s in "${services[@]}"; do
  echo "==> $ct build $s.sif"
  "$ct" build ${build_flags[@]+"${build_flags[@]}"} --force "build/$s.sif" "$s.def"
done
rm -f build/clocktower-app.tar.gz
echo "==> done: $(printf 'build/%s.sif ' "${services[@]}")"
