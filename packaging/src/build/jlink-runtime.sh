#!/bin/sh
# Builds the distribution's Java runtime with jlink from the toolchain JDK (Maven itself may run on Java 17).
#   jlink-runtime.sh OUTPUT_DIR MODULES
# The JDK comes from $TOOLCHAIN_JAVA_HOME (exec-maven-plugin sets it from maven-toolchains-plugin's choice), or
# from $MAVEN_JAVA_HOME (Maven's own JDK) when Maven runs on a JDK >= 21 and so no toolchain is selected.
# Skipped when OUTPUT_DIR was made from the same JDK build and module list (jlink takes 10-30 s here).
set -eu
out=$1
modules=$2
# The toolchain's JDK, or Maven's own when that satisfies the toolchain requirement (then none is selected).
jdk=${TOOLCHAIN_JAVA_HOME:-${MAVEN_JAVA_HOME:?neither TOOLCHAIN_JAVA_HOME nor MAVEN_JAVA_HOME is set (run through Maven)}}
case $jdk in */bin/java) jdk=${jdk%/bin/java} ;; esac
[ -x "$jdk/bin/jlink" ] || { echo "jlink-runtime: no jlink in $jdk (a JRE?); the toolchain must be a JDK" >&2; exit 1; }

stamp="$out.stamp"
want="$(cat "$jdk/release" "$0" | cksum) $jdk $modules"
if [ -f "$stamp" ] && [ -x "$out/bin/java" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "jlink-runtime: $out is up to date"
  exit 0
fi
rm -rf "$out" "$stamp"
mkdir -p "$(dirname "$out")"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$out"
# Strip native symbol tables like dh_strip does (libjvm.so alone shrinks by ~9 MB; lintian flags unstripped
# objects), then create the runtime's default CDS archive with the stripped JVM (agentctl starts ~2x faster
# with it). Only the compressed-oops archive: our heap is far below 32 GiB.
chmod -R u+w "$out"   # jlink makes legal/ read-only (0444); Debian wants 0644
if command -v strip >/dev/null 2>&1; then
  find "$out" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \) \
    -exec strip --strip-unneeded --remove-section=.comment --remove-section=.note {} +
fi
"$out/bin/java" -Xshare:dump -XX:SharedArchiveFile="$out/lib/server/classes.jsa" -Xlog:cds=off >/dev/null
echo "$want" > "$stamp"
echo "jlink-runtime: $out ($(du -sk "$out" | cut -f1) KiB): $modules"
