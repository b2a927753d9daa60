#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (Debian's Chromium for the browser tests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

if [[ ! -x /usr/bin/chromium ]]; then
  echo "test.sh: installing Debian's chromium for the browser tests" >&2
  sudo_cmd=""
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

dotnet build InferCost.slnx -nologo -v quiet -clp:ErrorsOnly
# -m:1 runs the test projects one after another: the suites start real servers, processes and a browser, and on
# two cores they would only slow each other down (no test asserts on the machine's speed).
dotnet test InferCost.slnx --no-build -m:1 -nologo -v quiet --logger "console;verbosity=minimal" "$@"
