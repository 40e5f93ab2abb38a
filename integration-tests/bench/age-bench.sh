#!/bin/sh
# Times `agentctl decrypt` (the real distribution launcher, JVM start included) against Debian `age -d` on the same
# files: a SIZE_MIB (default 256) MiB file and a 2 KiB file, to -o and to stdout; then runs the in-process harness
# (dev.nodeagent.age.AgeBench). Not part of any build. Needs: age, ssh-keygen, a built distribution
# (./mvnw -B -q -DskipTests package) and compiled test classes (./mvnw -B -q -pl agent test-compile).
# Usage: integration-tests/bench/age-bench.sh [SIZE_MIB] [RUNS]
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DIST=${NODEAGENT_DIST:-$REPO/packaging/target/node-agent}
SIZE_MIB=${1:-256}
RUNS=${2:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/age-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ssh-keygen -q -t ed25519 -N '' -C bench -f "$WORK/ssh_host_ed25519_key"
ssh-keygen -q -t rsa -b 4096 -N '' -C bench -f "$WORK/ssh_host_rsa_key"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/big"
head -c 2048 /dev/urandom > "$WORK/small"
age -R "$WORK/ssh_host_ed25519_key.pub" -o "$WORK/big.age" "$WORK/big"
age -R "$WORK/ssh_host_ed25519_key.pub" -o "$WORK/small.age" "$WORK/small"

# best (minimum) wall time of RUNS runs, in seconds
best() {
  b=""
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    s=$(date +%s.%N)
    "$@" > /dev/null
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    i=$((i + 1))
  done
  printf '%.3f' "$b"
}

K="$WORK/ssh_host_ed25519_key"
for f in big small; do
  a=$(best age -d -i "$K" -o "$WORK/out.age" "$WORK/$f.age")
  c=$(best "$DIST/bin/agentctl" decrypt -i "$K" -o "$WORK/out.ctl" "$WORK/$f.age")
  cmp -s "$WORK/out.ctl" "$WORK/$f"
  a2=$(best age -d -i "$K" "$WORK/$f.age")
  c2=$(best "$DIST/bin/agentctl" decrypt -i "$K" "$WORK/$f.age")
  echo "$f: age -d -o ${a}s, agentctl decrypt -o ${c}s (ratio $(echo "scale=2; $c / $a" | bc)); to stdout: age ${a2}s, agentctl ${c2}s (ratio $(echo "scale=2; $c2 / $a2" | bc))"
done

if [ -d "$REPO/agent/target/test-classes" ]; then
  "${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}" -cp "$DIST/lib/*:$REPO/agent/target/test-classes" \
    dev.nodeagent.age.AgeBench "$WORK" "$SIZE_MIB"
fi
