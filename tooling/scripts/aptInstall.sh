# shellcheck shell=bash
# `apt_install PACKAGE WHAT HINT`: installs one of Debian's packages for a test prerequisite (WHAT
# names it in messages, HINT says what else the user can do) — only as root (CI runs as root), never
# with sudo, and after waiting for another apt run's lock. Uses the caller's `say`. Sourced by the
# ensure-*.sh scripts; returns 1 with the reason said when it cannot install.
apt_install() {
  local package=$1 what=$2 hint=$3
  if [ "$(id -u)" != "0" ]; then
    say "no $what found, and installing one needs root: run 'apt-get install -y $package' as root"
    say "($hint)"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no $what found and no apt-get to install one: $hint"
    return 1
  fi
  say "no $what found: installing Debian's package (apt-get install -y $package)"
  # Another apt run (a colleague's, unattended upgrades) may hold the lock for a while: wait for it.
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 ||
    ! apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$package" >&2; then
    say "apt-get could not install $package (see above)"
    return 1
  fi
}
