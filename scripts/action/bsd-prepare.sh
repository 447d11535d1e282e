#!/bin/sh
# Run as root in a BSD VM (vmactions/{freebsd,openbsd,netbsd}-vm) before
# scripts/action/install.sh: installs node and npm, what node-gyp needs to
# build the addon from source (python3, gmake; the C++ compiler is the base
# system's), and bash for the Action's scripts. No BSD prebuild is committed,
# so the addon is always built there.
#
# Package names as of late 2026; not yet run by pollmatrix's authors, so the
# first VM run of examples/pollmatrix-matrix.yml is what checks them.
set -eu

# pkgsrc and OpenBSD install python3.X without a python3 link, which
# node-gyp looks for.
link_python3() {
  [ -e "$1/python3" ] && return 0
  for python in "$1"/python3.*; do
    case "$python" in *-config) continue ;; esac
    [ -x "$python" ] && ln -s "$python" "$1/python3" && return 0
  done
  echo "bsd-prepare: no python3.* in $1" >&2
  return 1
}

case "$(uname -s)" in
  FreeBSD)
    pkg install -y node24 npm-node24 python3 gmake bash
    ;;
  OpenBSD)
    pkg_add node python%3 gmake bash
    link_python3 /usr/local/bin
    ;;
  NetBSD)
    /usr/sbin/pkg_add nodejs npm python312 gmake bash
    link_python3 /usr/pkg/bin
    ;;
  DragonFly)
    pkg install -y node npm python3 gmake bash
    ;;
  *)
    echo "bsd-prepare: $(uname -s) is not a BSD this script knows" >&2
    exit 2
    ;;
esac
echo "bsd-prepare: node $(node --version), npm $(npm --version)"
