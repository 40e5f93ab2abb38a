#!/bin/sh
# The Maven command that builds the Nix package, in one place: package.nix runs it offline (-o) on the repository
# made from maven-lock.txt, maven-lock.sh runs it online on an empty repository to (re)make that lock, and
# NixMavenLockIT runs it offline on a repository populated only from the lock. Run from the top of the sources.
#   maven-build.sh LOCAL_REPOSITORY [EXTRA_MAVEN_ARGS...]       (MVN names the Maven to run; default: mvn)
# Without the bundled jlink runtime, the AOT training run and the .deb: nixpkgs provides the JRE and none of them
# belongs in the store. Tests are compiled (-DskipTests, so their dependencies are in the lock) but not run.
set -eu
repo=${1:?usage: maven-build.sh LOCAL_REPOSITORY [EXTRA_MAVEN_ARGS...]}
shift
exec "${MVN:-mvn}" -B -nsu --no-transfer-progress "-Dmaven.repo.local=$repo" \
  -DskipTests -Djlink.skip -Daot.skip -Ddeb.skip -pl packaging -am "$@" package
