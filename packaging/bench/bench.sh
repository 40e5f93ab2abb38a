#!/usr/bin/env bash
# Footprint and latency benchmark of the built distribution (a benchmark, not a test: it prints numbers).
#   packaging/bench/bench.sh [DIST]        DIST defaults to packaging/target/node-agent
# Environment: RUNS (start-ups to time, default 5), IDLE (seconds of idle before the last RSS, default 60),
#   PORT (default: a random free port, so another agent on the machine cannot answer for ours), WRK_SECONDS (default 5), WRK_RATE (default 200), NODE_AGENT_JAVA_OPTS / NODE_AGENT_AOT (passed to the launcher),
#   COMPARE_NO_AOT=1 also times start-up without the AOT cache.
# Prints: time to the first 200 on /status and on /readyz (median and range, plus the JVM's CPU seconds until
# ready, which the load of a shared machine distorts less than wall time), RSS after 30 s and IDLE s idle,
# /metrics and /status under a paced load of WRK_RATE requests/s (default 200; wrk -t1 -c2 with pace.lua, since
# Debian's wrk has no -R; after a 2 s warm-up at the same rate): achieved rate, p50/p90/p99/max latency and the
# JVM's CPU per request; RSS after the load; the same paths under closed-loop load (as fast as wrk -t1 -c2 goes:
# req/s and p99); agentctl wall times. Needs curl and wrk (with its LuaJIT, as Debian's is).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dist=${1:-$here/../target/node-agent}
dist=$(cd "$dist" && pwd)
runs=${RUNS:-5}; idle=${IDLE:-60}; wrk_s=${WRK_SECONDS:-5}; wrk_rate=${WRK_RATE:-200}
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
port=${PORT:-}
if [ -z "$port" ]; then
  port=$(( 30000 + RANDOM % 25000 ))
  while ! port_free "$port"; do port=$((port + 1)); done
fi
base=http://127.0.0.1:$port
work=$(mktemp -d "${TMPDIR:-/tmp}/node-agent-bench.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
for t in curl wrk; do command -v $t >/dev/null || { echo "bench: $t is required" >&2; exit 1; }; done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }

start_agent() {
  port_free "$port" || { echo "bench: port $port is in use by another process; set PORT" >&2; exit 1; }
  rm -rf "$work/demo"
  "$dist/bin/node-agent" demo --dir "$work/demo" --listen "127.0.0.1:$port" >"$work/agent.log" 2>&1 &
  pid=$!
}
stop_agent() { kill -TERM "$pid"; wait "$pid" || true; pid=; }

# Start-up: one line per run "status_ms readyz_ms cpu_s".
startup_runs() {
  : >"$work/startup"
  for _ in $(seq "$runs"); do
    t0=$(now_ms); start_agent; s_ms=; r_ms=
    for _ in $(seq 3000); do
      if [ -z "$s_ms" ] && curl -sf -o /dev/null "$base/status"; then s_ms=$(( $(now_ms) - t0 )); fi
      if [ -n "$s_ms" ] && curl -sf -o /dev/null "$base/readyz"; then r_ms=$(( $(now_ms) - t0 )); break; fi
      kill -0 "$pid" 2>/dev/null || { echo "bench: the agent exited:" >&2; cat "$work/agent.log" >&2; exit 1; }
      sleep 0.005
    done
    echo "$s_ms $r_ms $(cpu_s "$pid")" >>"$work/startup"
    stop_agent
  done
}
report_startup() {
  echo "  first 200 on /status: $(cut -d' ' -f1 "$work/startup" | median) ms (range $(cut -d' ' -f1 "$work/startup" | range)), $runs runs"
  echo "  first 200 on /readyz: $(cut -d' ' -f2 "$work/startup" | median) ms (range $(cut -d' ' -f2 "$work/startup" | range))"
  echo "  JVM CPU until ready:  $(cut -d' ' -f3 "$work/startup" | median) s (user+sys)"
}

wrk_report() {
  # $1 path. Paced load (pace.lua: one send slot every 1000/WRK_RATE ms over 2 connections; wrk measures latency
  # from the send). Prints the achieved rate (it falls short when the agent or the machine cannot keep up),
  # p50/p90/p99/max as wrk reports them and the JVM's CPU per request.
  wrk -t1 -c2 -d2s -s "$here/pace.lua" "$base$1" -- "$wrk_rate" >/dev/null 2>&1 # warm-up
  c0=$(cpu_s "$pid")
  wrk -t1 -c2 -d"${wrk_s}s" --latency -s "$here/pace.lua" "$base$1" -- "$wrk_rate" >"$work/wrk" 2>&1
  c1=$(cpu_s "$pid")
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk")
  n=$(awk '/requests in/ { print $1 }' "$work/wrk")
  pct() { awk -v p="$1" '$1 == p { print $2 }' "$work/wrk"; }
  max=$(awk '$1 == "Latency" { print $4 }' "$work/wrk")
  # JVM CPU per request: what a request costs the agent (its whole process, background work included),
  # less distorted by other load than latency is
  cpu_req=$(awk -v a="$c0" -v b="$c1" -v n="$n" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "?" }')
  echo "  $1 at $wrk_rate req/s: $rps req/s achieved, p50 $(pct 50%), p90 $(pct 90%), p99 $(pct 99%), max $max," \
    "$cpu_req ms JVM CPU/request (${wrk_s}s, load average $(cut -d' ' -f1 /proc/loadavg))"
}

wrk_closed() {
  # $1 path. Closed loop: each connection sends as soon as its response arrives (max throughput).
  wrk -t1 -c2 -d"${wrk_s}s" --latency "$base$1" >"$work/wrk" 2>&1
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk")
  echo "  $1: $rps req/s, p50 $(awk '$1 == "50%" { print $2 }' "$work/wrk"), p99 $(awk '$1 == "99%" { print $2 }' "$work/wrk")"
}

time_cmd() {
  # median wall ms of 5 runs of "$@", and the median CPU (user+sys) ms of the process
  for _ in 1 2 3 4 5; do
    t0=$(now_ms)
    cpu=$( { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%d", ($1 + $2) * 1000 }')
    echo "$(( $(now_ms) - t0 )) $cpu"
  done >"$work/times"
  echo "$(cut -d' ' -f1 "$work/times" | median) ms wall, $(cut -d' ' -f2 "$work/times" | median) ms CPU"
}

echo "node-agent benchmark: $dist"
echo "  $("$dist/bin/node-agent" --version 2>/dev/null), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  JVM flags: $(NODE_AGENT_LAUNCHER_DEBUG=1 "$dist/bin/node-agent" --version 2>&1 >/dev/null \
  | sed -n 's/^launcher: [^ ]* //p' | sed 's/ -cp .*//')"

if [ "${COMPARE_NO_AOT:-0}" = 1 ]; then
  echo "start-up without the AOT cache (NODE_AGENT_AOT=off):"
  NODE_AGENT_AOT=off startup_runs; report_startup
fi
echo "start-up (as launched):"
startup_runs; report_startup

echo "footprint (one agent, demo config):"
start_agent
until curl -sf -o /dev/null "$base/readyz"; do sleep 0.01; done
t_ready=$(now_ms)
sleep 30; echo "  RSS after 30 s idle: $(rss_mib "$pid") MiB"
rest=$(( idle * 1000 - ($(now_ms) - t_ready) ))
[ "$rest" -gt 0 ] && sleep "$(awk -v ms="$rest" 'BEGIN { printf "%.2f", ms / 1000 }')"
echo "  RSS after ${idle} s idle: $(rss_mib "$pid") MiB (threads: $(awk '/^Threads/ { print $2 }' "/proc/$pid/status"))"
echo "paced load (loopback, wrk -t1 -c2 with pace.lua, after a 2 s warm-up):"
wrk_report /metrics
wrk_report /status
echo "  RSS after both loads: $(rss_mib "$pid") MiB"
echo "closed-loop load (wrk -t1 -c2 -d${wrk_s}s, as fast as it goes):"
wrk_closed /metrics
wrk_closed /status

echo "agentctl (median of 5):"
echo "  agentctl --version: $(time_cmd "$dist/bin/agentctl" --version)"
echo "  agentctl --help:    $(time_cmd "$dist/bin/agentctl" --help)"
if "$dist/bin/agentctl" --help 2>/dev/null | grep -Eq '^ +status( |$)'; then
  sock=$(awk '/^controlSocket:/ { print $2 }' "$work/demo/etc/node-agent/agent.yaml" 2>/dev/null | head -n 1)
  # host paths are resolved under the demo's hostRoot (the sandbox)
  if [ -n "$sock" ] && [ -S "$work/demo$sock" ]; then sock=$work/demo$sock; fi
  echo "  agentctl status:    $(time_cmd "$dist/bin/agentctl" status ${sock:+--socket "$sock"})"
else
  echo "  agentctl status:    (not in this build: the control-socket branch adds it)"
fi
stop_agent
