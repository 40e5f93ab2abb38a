# Sourced by the node-agent and agentctl launchers: finds a Java >= 21 and sets JAVA and APP_HOME; builds the
# class path (CP) and finds a matching AOT cache (AOT_ARG).
# Java search order: the bundled runtime (APP_HOME/runtime), $JAVA_HOME, a JDK under /usr/lib/jvm (what Maven's
# toolchain finds), then `java` on PATH. Versions are read from each runtime's `release` file: no JVM start.

# shellcheck shell=sh
# Every fork costs 1-5 ms on a small VM and agentctl is interactive, so these functions use shell built-ins
# (parameter expansion, `read`) instead of dirname/sed/head/cut: the whole launcher forks readlink, stat and cksum
# only (measured: 60-90 ms of shell before the JVM started, now ≈10 ms).

na_resolve_home() {
  # APP_HOME = the directory above bin/ of $1, a launcher path already resolved with `readlink -f` (launchers are
  # linked into /usr/bin; `readlink -f` also makes the path physical, so APP_HOME is stable for the AOT cache key).
  APP_HOME=${1%/*}
  APP_HOME=${APP_HOME%/*}
}

na_java_major() {
  # Sets _major to the feature version in $1/release (JAVA_VERSION="25.0.3" -> 25); empty when unknown.
  _major=
  [ -f "$1/release" ] || return 0
  while IFS= read -r _line || [ -n "$_line" ]; do
    case $_line in
      JAVA_VERSION=\"[0-9]*) _line=${_line#JAVA_VERSION=\"}; _major=${_line%%[!0-9]*}; return 0 ;;
    esac
  done <"$1/release"
}

na_usable() {
  [ -x "$1/bin/java" ] || return 1
  na_java_major "$1"
  [ -n "$_major" ] && [ "$_major" -ge 21 ]
}

na_find_java() {
  # Sets JAVA (and JAVA_MAJOR, its feature version).
  if na_usable "$APP_HOME/runtime"; then JAVA="$APP_HOME/runtime/bin/java"; JAVA_MAJOR=$_major; return 0; fi
  if [ -n "${JAVA_HOME:-}" ] && na_usable "$JAVA_HOME"; then JAVA="$JAVA_HOME/bin/java"; JAVA_MAJOR=$_major; return 0; fi
  _best=; _bestv=0
  for _h in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$_h" ] || continue
    if na_usable "$_h" && [ "$_major" -gt "$_bestv" ]; then _best=$_h; _bestv=$_major; fi
  done
  if [ -n "$_best" ]; then JAVA="$_best/bin/java"; JAVA_MAJOR=$_bestv; return 0; fi
  if command -v java >/dev/null 2>&1; then
    _h=$(readlink -f "$(command -v java)")
    _h=${_h%/bin/java}
    if na_usable "$_h"; then JAVA="$_h/bin/java"; JAVA_MAJOR=$_major; return 0; fi
  fi
  echo "node-agent: no Java 21 or newer found (looked in $APP_HOME/runtime, \$JAVA_HOME, /usr/lib/jvm, PATH)." >&2
  echo "node-agent: install a JDK/JRE >= 21 (e.g. Temurin 21 or 25) or set JAVA_HOME to one." >&2
  exit 1
}

na_classpath() {
  # An explicit, sorted class path instead of lib/*: the JVM expands a wildcard in directory order, which is
  # unspecified, and the AOT cache is only valid for the same jars in the same order.
  CP=
  for _j in "$APP_HOME"/lib/*.jar; do CP=${CP:+$CP:}$_j; done
}

na_aot_key() {
  # A cheap fingerprint (a few ms) of what an AOT cache was built from: the runtime's path, its `release` file, its
  # libjvm.so and modules image (each by size and mtime), and every jar's name, size and mtime, in class path order. Java 25's AOT cache can serve stale classes after the
  # jars change (JAVA-STACK-NOTES 3, gotcha 2), so a cache is only ever used under the key it was made for.
  # $1 names the program (node-agent or agentctl): their caches differ. Paths are relative to APP_HOME, so a
  # cache made at build time still matches after the tarball is unpacked elsewhere (tar keeps mtimes; the JVM
  # accepts a relocated cache when every jar has the same size and mtime, and rejects it otherwise).
  # One subshell, one stat, one cksum (forks are what a shell launcher spends its time on).
  _key=$( (
    cd "$APP_HOME" || exit 0
    _jh=${JAVA%/bin/java}; _jh=${_jh#"$APP_HOME"/}
    echo "$1 $_jh"
    # one stat for everything (no fork per jar); ls -ln where stat -c is missing
    set -- "$_jh/release" "$_jh/lib/modules" "$_jh/lib/server/libjvm.so" lib/*.jar
    stat -L -c '%n %s %Y' -- "$@" 2>/dev/null || ls -lnL -- "$@" 2>/dev/null
  ) | cksum)
  _key=${_key%% *}
}

na_aot_opts() {
  # Sets AOT_ARG (one JVM argument, or empty) for program $1. NODE_AGENT_AOT=off disables;
  # NODE_AGENT_AOT_OUTPUT=FILE records a new cache instead (a training run: the JVM writes it at exit).
  # With a cache the launchers also pass -Xlog:aot*=off -Xlog:aot*=error:stderr: Java 25 prints harmless "[warning][aot,codecache,stubs]"
  # lines on every start otherwise, and a rejected cache must not pollute stdout (check-config output).
  AOT_ARG=
  [ "${NODE_AGENT_AOT:-auto}" != off ] || return 0
  [ "${JAVA_MAJOR:-0}" -ge 25 ] || return 0   # AOT caches (JEP 483/514/515) need Java 25
  if [ -n "${NODE_AGENT_AOT_OUTPUT:-}" ]; then
    AOT_ARG="-XX:AOTCacheOutput=$NODE_AGENT_AOT_OUTPUT"
    return 0
  fi
  na_aot_key "$1"
  # Looked for in $NODE_AGENT_AOT_DIR (else the distribution's aot/, made at build time or by bin/aot-cache),
  # then /var/lib/node-agent/aot (made by the .deb's postinst).
  for _d in "${NODE_AGENT_AOT_DIR:-$APP_HOME/aot}" /var/lib/node-agent/aot; do
    if [ -r "$_d/$1-$_key.aot" ]; then
      AOT_ARG="-XX:AOTCache=$_d/$1-$_key.aot"
      return 0
    fi
  done
}

na_debug() {
  # NODE_AGENT_LAUNCHER_DEBUG=1 prints the java command line to stderr (used by tests and the benchmark).
  if [ -n "${NODE_AGENT_LAUNCHER_DEBUG:-}" ]; then echo "launcher: $*" >&2; fi
}
