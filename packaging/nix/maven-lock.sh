#!/bin/sh
# Regenerates maven-lock.txt, the list of every file the Nix build reads from its Maven repository (sha256 and
# repository path, `sha256sum` format), after a dependency or plugin change:
#   packaging/nix/maven-lock.sh            (needs the network: Maven Central; MVN picks the Maven, default ./mvnw)
# It copies the sources git tracks (what a flake builds) to a temporary directory, runs maven-build.sh there on an
# EMPTY local repository with an empty HOME (no settings.xml, mirrors or toolchains of yours), and hashes what
# Maven downloaded: jars and poms of the dependencies, the plugins and the plugins' dependencies. Maven's own
# bookkeeping (_remote.repositories, *.lastUpdated, resolver-status.properties, checksum files) is left out: the
# offline build needs none of it (NixMavenLockIT proves the lock complete).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
lock=$top/packaging/nix/maven-lock.txt
work=$(mktemp -d "${TMPDIR:-/tmp}/maven-lock.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/src" "$work/home" "$work/repository"
(cd "$top" && git ls-files -z | xargs -0 tar -cf - --) | tar -xf - -C "$work/src"
cd "$work/src"
# The wrapper's Maven distribution stays where it is (MAVEN_USER_HOME), so only HOME is empty.
HOME=$work/home MAVEN_USER_HOME=${MAVEN_USER_HOME:-$HOME/.m2} MVN=${MVN:-$work/src/mvnw} \
  sh packaging/nix/maven-build.sh "$work/repository" >"$work/build.log" 2>&1 || {
  tail -n 60 "$work/build.log" >&2
  echo "maven-lock.sh: the build failed (log above); $lock not changed" >&2
  exit 1
}
cd "$work/repository"
find . -type f ! -name _remote.repositories ! -name '*.lastUpdated' ! -name resolver-status.properties \
  ! -name '*.sha1' ! -name '*.md5' ! -name '*.sha256' ! -name '*.sha512' ! -name '*.asc' \
  | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do sha256sum "$f"; done >"$work/lock"
if grep -q 'maven-metadata' "$work/lock"; then
  # Metadata (version ranges, SNAPSHOTs) changes on Central over time: it cannot be pinned by a hash.
  grep 'maven-metadata' "$work/lock" >&2
  echo "maven-lock.sh: the build resolved Maven metadata (a version range or SNAPSHOT?); pin versions instead" >&2
  exit 1
fi
mv "$work/lock" "$lock"
echo "maven-lock.sh: $(wc -l <"$lock") files, $(cd "$work/repository" && du -sh . | cut -f1) -> $lock"
