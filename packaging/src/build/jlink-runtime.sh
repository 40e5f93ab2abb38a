#!/bin/sh
# Builds the distribution's Java runtime with jlink from the toolchain JDK (Maven itself may run on Java 17).
#   jlink-runtime.sh OUTPUT_DIR MODULES
# The JDK comes from $TOOLCHAIN_JAVA_HOME (exec-maven-plugin sets it from maven-toolchains-plugin's choice).
# Skipped when OUTPUT_DIR was made from the same JDK build and module list (jlink takes 10-30 s here).
set -eu
out=$1
modules=$2
jdk=${TOOLCHAIN_JAVA_HOME:?TOOLCHAIN_JAVA_HOME is not set (run through Maven)}
case $jdk in */bin/java) jdk=${jdk%/bin/java} ;; esac
[ -x "$jdk/bin/jlink" ] || { echo "jlink-runtime: no jlink in $jdk (a JRE?); the toolchain must be a JDK" >&2; exit 1; }

stamp="$out.stamp"
want="$(cat "$jdk/release" | cksum) $jdk $modules"
if [ -f "$stamp" ] && [ -x "$out/bin/java" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "jlink-runtime: $out is up to date"
  exit 0
fi
rm -rf "$out" "$stamp"
mkdir -p "$(dirname "$out")"
# --generate-cds-archive: the runtime gets its own default CDS archive (agentctl starts ~2x faster with it).
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$out"
# The no-compressed-oops archive is only used with heaps > 32 GiB; our heap is 64 MiB.
rm -f "$out/lib/server/classes_nocoops.jsa"
echo "$want" > "$stamp"
echo "jlink-runtime: $out ($(du -sk "$out" | cut -f1) KiB): $modules"
