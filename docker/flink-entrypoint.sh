#!/usr/bin/env bash
# Copies the mounted EdgeSplit config.yaml over the image's, then hands over to Flink's own
# entrypoint. The copy matters: Flink's entrypoint rewrites conf/config.yaml in place (and appends
# FLINK_PROPERTIES), which must not touch the file mounted from the host.
set -euo pipefail
if [[ -f /opt/edgesplit/conf/config.yaml ]]; then
  cp /opt/edgesplit/conf/config.yaml /opt/flink/conf/config.yaml
fi
exec /docker-entrypoint.sh "$@"
