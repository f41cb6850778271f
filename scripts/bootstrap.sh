#!/usr/bin/env bash
# Installs the Debian 12 packages evsim needs that are missing, and says what it installs.
# Idempotent: with everything present it installs nothing and needs no network.
#   scripts/bootstrap.sh            packages to build and run evsim
#   scripts/bootstrap.sh --test     plus what the full test suite uses (clang for fuzzing, node/npm,
#                                   docker-compose for validating the compose file, Chromium for
#                                   the browser client checks)
set -euo pipefail

build_packages=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-program-options1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev
  tzdata  # time zone names for the watch dialect's tz parameter
)
test_packages=(clang-14 libclang-rt-14-dev nodejs npm docker-compose curl chromium)

wanted=("${build_packages[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) wanted+=("${test_packages[@]}") ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "bootstrap: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

# Tools that may come from outside Debian's archive (for example a newer Node.js with its own npm):
# a working command satisfies the package, and installing Debian's would conflict with it.
declare -A satisfied_by_command=([nodejs]=node [npm]=npm)

missing=()
for pkg in "${wanted[@]}"; do
  command_name=${satisfied_by_command[$pkg]:-}
  if [[ -n "$command_name" ]] && command -v "$command_name" >/dev/null 2>&1; then
    continue
  fi
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#wanted[@]} packages already installed"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "bootstrap: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
