# shellcheck shell=bash
# `say MESSAGE`: set-up's progress line, bold only on a terminal and never when NO_COLOR is set
# (https://no-color.org), so logs and CI output stay plain text. Sourced by setup.sh.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
else
  say() { printf '[setup] %s\n' "$*"; }
fi
