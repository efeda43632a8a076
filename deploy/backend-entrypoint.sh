#!/bin/sh
# Container entrypoint of the backend image: migrate, optionally seed the demo
# data, then run the given mesa subcommand (default: serve).
set -eu
mesa migrate
if [ "${MESA_SEED_DEMO:-false}" = "true" ]; then
  mesa seed --demo
fi
exec mesa "$@"
