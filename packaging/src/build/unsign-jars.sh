#!/bin/sh
# Removes the signatures (and manifest digests) of the signed jars in a distribution's lib/, with the toolchain
# JDK: see UnsignJars.java for why (Bouncy Castle's jars; -12 MiB RSS, and their classes become AOT-cacheable).
#   unsign-jars.sh LIB_DIR
set -eu
jdk=${TOOLCHAIN_JAVA_HOME:?TOOLCHAIN_JAVA_HOME is not set (run through Maven)}
case $jdk in */bin/java) jdk=${jdk%/bin/java} ;; esac
exec "$jdk/bin/java" "$(dirname "$0")/UnsignJars.java" "$1"/*.jar
