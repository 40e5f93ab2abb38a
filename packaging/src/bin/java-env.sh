# Sourced by the node-agent and agentctl launchers: finds a Java >= 21 and sets JAVA and APP_HOME; builds the
# class path (CP) and finds a matching AOT cache (AOT_ARG).
# Java search order: the bundled runtime (APP_HOME/runtime), $JAVA_HOME, a JDK under /usr/lib/jvm (what Maven's
# toolchain finds), then `java` on PATH. Versions are read from each runtime's `release` file: no JVM start.

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

na_classpath() {
  # An explicit, sorted class path instead of lib/*: the JVM expands a wildcard in directory order, which is
  # unspecified, and the AOT cache is only valid for the same jars in the same order.
  CP=
  for _j in "$APP_HOME"/lib/*.jar; do CP=${CP:+$CP:}$_j; done
}

na_aot_key() {
  # A cheap fingerprint (a few ms) of what an AOT cache was built from: the java binary, its `release` file, its
  # libjvm.so and modules image (size, mtime), and every jar's name, size and mtime, in class path order. Java 25's AOT cache can serve stale classes after the
  # jars change (JAVA-STACK-NOTES 3, gotcha 2), so a cache is only ever used under the key it was made for.
  # $1 names the program (node-agent or agentctl): their caches differ. Paths are relative to APP_HOME, so a
  # cache made at build time still matches after the tarball is unpacked elsewhere (tar keeps mtimes; the JVM
  # accepts a relocated cache when every jar has the same size and mtime, and rejects it otherwise).
  (
    echo "$1 ${JAVA#"$APP_HOME"/}"
    cat "${JAVA%/bin/java}/release" 2>/dev/null
    # the JVM and its module image: a rebuilt runtime with the same version string is another runtime
    (cd "${JAVA%/bin/java}" && stat -L -c '%n %s %Y' lib/modules lib/server/libjvm.so 2>/dev/null)
    cd "$APP_HOME/lib" || exit 0
    # one stat for all jars (one fork, not one per jar); ls -ln where stat -c is missing
    stat -L -c '%n %s %Y' -- *.jar 2>/dev/null || ls -lnL -- *.jar
  ) | cksum | cut -d ' ' -f 1
}

na_aot_opts() {
  # Sets AOT_ARG (one JVM argument, or empty) for program $1. NODE_AGENT_AOT=off disables;
  # NODE_AGENT_AOT_OUTPUT=FILE records a new cache instead (a training run: the JVM writes it at exit).
  # With a cache the launchers also pass -Xlog:aot*=off -Xlog:aot*=error:stderr: Java 25 prints harmless "[warning][aot,codecache,stubs]"
  # lines on every start otherwise, and a rejected cache must not pollute stdout (check-config output).
  AOT_ARG=
  [ "${NODE_AGENT_AOT:-auto}" != off ] || return 0
  _v=$(na_java_major "${JAVA%/bin/java}")
  [ -n "$_v" ] && [ "$_v" -ge 25 ] || return 0   # AOT caches (JEP 483/514/515) need Java 25
  if [ -n "${NODE_AGENT_AOT_OUTPUT:-}" ]; then
    AOT_ARG="-XX:AOTCacheOutput=$NODE_AGENT_AOT_OUTPUT"
    return 0
  fi
  _key=$(na_aot_key "$1")
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
