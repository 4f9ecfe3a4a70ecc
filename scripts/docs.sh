#!/usr/bin/env bash
# Builds the documentation: Doxygen extracts the C++ API as XML, then Sphinx
# writes the HTML site to docs/_build/html. Doxygen and Sphinx warnings are errors.
# Installs the Debian documentation packages when they are missing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DOCS="$ROOT/docs"
PACKAGES=(doxygen graphviz python3-sphinx python3-sphinx-rtd-theme python3-breathe)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2> /dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "docs: installing ${missing[*]}" >&2
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# Debian's Sphinx lives in the system Python; prefer it over another python3.
SPHINX_BUILD=sphinx-build
[ -x /usr/bin/sphinx-build ] && SPHINX_BUILD=/usr/bin/sphinx-build

echo "docs: extracting the API with doxygen" >&2
rm -rf "$DOCS/_build/doxygen"
mkdir -p "$DOCS/_build/doxygen"
(cd "$DOCS" && doxygen Doxyfile)
# Doxygen warnings are errors too: a dropped `<placeholder>` or a broken reference shows wrong in the API page.
if [ -s "$DOCS/_build/doxygen/warnings.log" ]; then
  echo "docs: doxygen reported $(wc -l < "$DOCS/_build/doxygen/warnings.log") warning line(s):" >&2
  sort -u "$DOCS/_build/doxygen/warnings.log" >&2
  exit 1
fi

echo "docs: building HTML" >&2
# -E: always a fresh environment, so pages of removed API entries never linger.
"$SPHINX_BUILD" -E -W --keep-going -q -b html "$DOCS" "$DOCS/_build/html" "$@"
echo "docs: OK, open docs/_build/html/index.html"
