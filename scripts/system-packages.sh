#!/usr/bin/env bash
# Install the Debian packages medloc needs when they are missing (as root), or say exactly what to
# install (as anyone else). Called by `make run` / `make test` (`$0 test` adds the browser for the
# suite); safe to run again (does nothing then).
set -euo pipefail

# package -> a file that proves it is installed
declare -A NEEDS=(
  [gettext]=/usr/bin/msgfmt
  [hunspell-en-us]=/usr/share/hunspell/en_US.dic
  [hunspell-es]=/usr/share/hunspell/es_ES.dic
  [hunspell-fr]=/usr/share/hunspell/fr_FR.dic
  [hunspell-de-de]=/usr/share/hunspell/de_DE.dic
  [hunspell-en-med]=/usr/share/hunspell/en_med_glut.dic  # medical words layered on en_US
  [libhunspell-dev]=/usr/include/hunspell/hunspell.h  # the `hunspell` Python binding builds against it
  [python3-grammalecte]=/usr/lib/python3/dist-packages/grammalecte/__init__.py  # offline French grammar
)
# Only the test suite needs a browser (the QA report and published pages are checked in headless Chromium).
if [[ "${1:-run}" == "test" ]]; then
  NEEDS[chromium]=/usr/bin/chromium
  NEEDS[chromium-driver]=/usr/bin/chromedriver
fi

missing=()
for package in "${!NEEDS[@]}"; do
  [[ -e "${NEEDS[$package]}" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

IFS=$'\n' missing=($(sort <<<"${missing[*]}")); unset IFS
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "medloc: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "medloc: missing system packages: ${missing[*]}" >&2
  echo "install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
