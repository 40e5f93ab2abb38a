#!/bin/sh
# Removes the signatures (and manifest digests) of the signed jars in a distribution's lib/, with the toolchain
# JDK: see UnsignJars.java for why (Bouncy Castle's jars; -12 MiB RSS, and their classes become AOT-cacheable).
#   unsign-jars.sh LIB_DIR
set -eu
# The toolchain's JDK, or Maven's own when that satisfies the toolchain requirement (then none is selected).
jdk=${TOOLCHAIN_JAVA_HOME:-${MAVEN_JAVA_HOME:?neither TOOLCHAIN_JAVA_HOME nor MAVEN_JAVA_HOME is set (run through Maven)}}
case $jdk in */bin/java) jdk=${jdk%/bin/java} ;; esac
exec "$jdk/bin/java" "$(dirname "$0")/UnsignJars.java" "$1"/*.jar
