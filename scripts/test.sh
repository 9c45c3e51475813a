#!/usr/bin/env bash
# The test command (README's second line; .ci/run calls it). Installs everything the suite needs on a
# fresh Debian machine — the package with its test extras, Chromium for the browser tests, a throwaway
# PostgreSQL for the storage tests — then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'

if [ -x scripts/install_browser_deps.sh ] || [ -f scripts/install_browser_deps.sh ]; then
  bash scripts/install_browser_deps.sh || echo "warning: browser dependencies could not be installed; browser tests will skip" >&2
fi

if [ -f scripts/ci_postgres.sh ] && [ -z "${MARSAD_TEST_PG_URL:-}" ]; then
  pg_env=$(mktemp)
  if bash scripts/ci_postgres.sh "$pg_env"; then
    # shellcheck disable=SC1090
    source "$pg_env"
  else
    echo "warning: PostgreSQL could not be started; PostgreSQL tests will skip" >&2
  fi
fi

set +e
python3 -m pytest -q -ra "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "no tests were collected" >&2
  exit 1
fi
exit "$rc"
