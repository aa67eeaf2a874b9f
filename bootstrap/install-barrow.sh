#!/usr/bin/env bash
# EMR bootstrap action: install the barrow wheel and the Python packages the
# barrow Spark job needs on this node.
#
#   install-barrow.sh --wheel s3://bucket/path/barrow-<ver>-cp39-abi3-<platform>.whl
#                     [--sha256 HEX] [--python python3] [--endpoint-url URL]
#                     [--requirements "numpy>=1.23 pyarrow>=14 pandas>=1.5,<3"]
#
# Safe to run again: the same wheel is simply reinstalled. With --sha256 the
# downloaded wheel is verified before anything is installed; a mismatch stops
# the script with nothing installed.
set -euo pipefail

WHEEL=""
SHA256=""
PYTHON="python3"
ENDPOINT=""
REQUIREMENTS="numpy>=1.23 pyarrow>=14 pandas>=1.5,<3"

fail() {
  echo "install-barrow: error: $*" >&2
  exit 1
}

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --wheel) WHEEL="${2:-}"; shift 2 ;;
    --sha256) SHA256="${2:-}"; shift 2 ;;
    --python) PYTHON="${2:-}"; shift 2 ;;
    --endpoint-url) ENDPOINT="${2:-}"; shift 2 ;;
    --requirements) REQUIREMENTS="${2-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done

[ -n "$WHEEL" ] || fail "--wheel s3://.../barrow-*.whl is required"
case "$WHEEL" in
  s3://*.whl) ;;
  *) fail "--wheel must be an s3:// URI of a .whl file, got '$WHEEL'" ;;
esac
if [ -n "$SHA256" ] && ! [[ "$SHA256" =~ ^[0-9a-fA-F]{64}$ ]]; then
  fail "--sha256 must be 64 hexadecimal digits, got '$SHA256'"
fi
command -v aws >/dev/null 2>&1 || fail "the aws command line is not installed on this node"
command -v "$PYTHON" >/dev/null 2>&1 || fail "python '$PYTHON' not found"

# Root-owned interpreters (EMR's system python3) need sudo to install into.
SUDO=""
if [ "$(id -u)" -ne 0 ] && ! "$PYTHON" -c 'import os, sys, sysconfig; sys.exit(0 if os.access(sysconfig.get_paths()["purelib"], os.W_OK) else 1)'; then
  command -v sudo >/dev/null 2>&1 || fail "cannot write to $PYTHON's site-packages and sudo is missing"
  SUDO="sudo"
fi

WORKDIR="$(mktemp -d)"
trap 'rm -rf "$WORKDIR"' EXIT
LOCAL="$WORKDIR/$(basename "$WHEEL")"

echo "install-barrow: copying $WHEEL"
aws s3 cp ${ENDPOINT:+--endpoint-url "$ENDPOINT"} --only-show-errors "$WHEEL" "$LOCAL" \
  || fail "could not copy $WHEEL (check the URI and the instance profile's S3 permissions)"

if [ -n "$SHA256" ]; then
  ACTUAL="$(sha256sum "$LOCAL" | cut -d' ' -f1)"
  if [ "${ACTUAL,,}" != "${SHA256,,}" ]; then
    fail "checksum mismatch for $(basename "$WHEEL"): expected $SHA256, got $ACTUAL; nothing was installed"
  fi
  echo "install-barrow: sha256 verified"
fi

if [ -n "$REQUIREMENTS" ]; then
  echo "install-barrow: installing $REQUIREMENTS"
  # shellcheck disable=SC2086  # the requirements are a word list on purpose
  $SUDO "$PYTHON" -m pip install --quiet --disable-pip-version-check $REQUIREMENTS \
    || fail "could not install the Python requirements ($REQUIREMENTS)"
fi
echo "install-barrow: installing $(basename "$WHEEL")"
$SUDO "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$LOCAL" \
  || fail "pip could not install $(basename "$WHEEL") with $PYTHON"

VERSION="$("$PYTHON" -c 'import barrow; print(barrow.__version__)')" \
  || fail "barrow was installed but does not import with $PYTHON"
echo "install-barrow: barrow $VERSION ready for $PYTHON"
