#!/usr/bin/env bash
# Validates docker/ without a Docker engine: the compose file with `docker compose config` (or
# Debian's docker-compose, installed here with apt-get when missing and possible), the Dockerfiles
# with hadolint or, where hadolint cannot be had, the dockerfile-utils linter from npm, and the
# entrypoint script with bash -n. A check whose tool cannot be had prints SKIP and does not fail;
# a check that runs and finds a problem fails the script.
set -uo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
DOCKERFILES=(Dockerfile Dockerfile.gpu-taskmanager)
DOCKERFILE_UTILS_VERSION=0.16.3
failed=0
summary=()

ok() { summary+=("OK    $1"); }
bad() { summary+=("FAIL  $1"); failed=1; }
skip() { summary+=("SKIP  $1"); }

can_apt() { [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; }

compose_cmd() {
  if docker compose version >/dev/null 2>&1; then echo "docker compose"; return; fi
  if command -v docker-compose >/dev/null 2>&1; then echo "docker-compose"; return; fi
  if can_apt; then
    echo "installing Debian's docker-compose with apt-get..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } \
      >/dev/null 2>&1
    if command -v docker-compose >/dev/null 2>&1; then echo "docker-compose"; return; fi
  fi
}

# 1. The compose file, with every profile, so each service is checked.
compose="$(compose_cmd)"
if [[ -z "$compose" ]]; then
  skip "docker-compose.yml: neither 'docker compose' nor docker-compose available or installable"
elif out="$($compose -f docker-compose.yml --profile cpu --profile gpu2 config -q 2>&1)"; then
  ok "docker-compose.yml ($compose config)"
else
  echo "$out" >&2
  bad "docker-compose.yml ($compose config)"
fi

# 2. The Dockerfiles.
lint_with() {
  local name="$1"; shift
  local all_ok=1
  for f in "${DOCKERFILES[@]}"; do
    if ! "$@" "$f"; then all_ok=0; fi
  done
  if [[ $all_ok == 1 ]]; then ok "Dockerfiles ($name)"; else bad "Dockerfiles ($name)"; fi
}
if command -v hadolint >/dev/null 2>&1; then
  lint_with hadolint hadolint --failure-threshold error
else
  utils_dir="${XDG_CACHE_HOME:-$HOME/.cache}/edgesplit/dockerfile-utils-$DOCKERFILE_UTILS_VERSION"
  utils="$utils_dir/node_modules/.bin/dockerfile-utils"
  if [[ ! -x "$utils" ]] && command -v npm >/dev/null 2>&1; then
    echo "hadolint is not installable here (no Debian package; PyPI unreachable); installing dockerfile-utils from npm..." >&2
    mkdir -p "$utils_dir"
    timeout 180 npm install --prefix "$utils_dir" --no-audit --no-fund --silent \
      "dockerfile-utils@$DOCKERFILE_UTILS_VERSION" >/dev/null 2>&1 || true
  fi
  if [[ -x "$utils" ]]; then
    lint_with "dockerfile-utils lint" "$utils" lint
  else
    skip "Dockerfiles: neither hadolint nor npm's dockerfile-utils available or installable"
  fi
fi

# 3. The entrypoint wrapper.
if bash -n flink-entrypoint.sh; then ok "flink-entrypoint.sh (bash -n)"; else bad "flink-entrypoint.sh (bash -n)"; fi

echo "docker/ validation (no Docker engine: nothing was built or run):"
printf '  %s\n' "${summary[@]}"
exit "$failed"
