# Sourced by the node-agent and agentctl launchers: finds a Java >= 21 and sets JAVA and APP_HOME.
# Order: the bundled runtime (APP_HOME/runtime), $JAVA_HOME, a JDK under /usr/lib/jvm (what Maven's toolchain
# finds), then `java` on PATH. Versions are read from each runtime's `release` file, which costs no JVM start.

# shellcheck shell=sh
na_resolve_home() {
  # APP_HOME = the directory above bin/, following symlinks (launchers are linked into /usr/bin).
  _self=$1
  while [ -h "$_self" ]; do
    _link=$(readlink "$_self")
    case $_link in /*) _self=$_link ;; *) _self=$(dirname "$_self")/$_link ;; esac
  done
  APP_HOME=$(cd "$(dirname "$_self")/.." && pwd -P)
}

na_java_major() {
  # prints the feature version of the Java home $1, or nothing
  [ -f "$1/release" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
}

na_usable() {
  [ -x "$1/bin/java" ] || return 1
  _v=$(na_java_major "$1")
  [ -n "$_v" ] && [ "$_v" -ge 21 ]
}

na_find_java() {
  if na_usable "$APP_HOME/runtime"; then JAVA="$APP_HOME/runtime/bin/java"; return 0; fi
  if [ -n "${JAVA_HOME:-}" ] && na_usable "$JAVA_HOME"; then JAVA="$JAVA_HOME/bin/java"; return 0; fi
  _best=; _bestv=0
  for _h in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$_h" ] || continue
    if na_usable "$_h"; then
      _v=$(na_java_major "$_h")
      if [ "$_v" -gt "$_bestv" ]; then _best=$_h; _bestv=$_v; fi
    fi
  done
  if [ -n "$_best" ]; then JAVA="$_best/bin/java"; return 0; fi
  if command -v java >/dev/null 2>&1; then
    _h=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if na_usable "$_h"; then JAVA="$_h/bin/java"; return 0; fi
  fi
  echo "node-agent: no Java 21 or newer found (looked in $APP_HOME/runtime, \$JAVA_HOME, /usr/lib/jvm, PATH)." >&2
  echo "node-agent: install a JDK/JRE >= 21 (e.g. Temurin 21 or 25) or set JAVA_HOME to one." >&2
  exit 1
}
