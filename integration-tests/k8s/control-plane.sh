#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a cache keyed by version, for the ITs that need a
# real control plane (integration-tests/src/test/java/dev/nodeagent/it/kube/). Reused when present.
#
#   control-plane.sh [build]   build (or reuse) and print the cache directory holding kube-apiserver and etcd
#   control-plane.sh generate  rewrite the wrapper modules' go.mod/go.sum for K8S_VERSION/ETCD_VERSION (commit them)
#
# Why wrapper modules: `go install k8s.io/kubernetes/cmd/kube-apiserver@v1.N.P` is refused because k8s.io/kubernetes
# has replace directives (its staging modules, ./staging/src/k8s.io/*). A wrapper module requires k8s.io/kubernetes
# and replaces every staging module with its published v0.N.P; the generated go.mod/go.sum are committed so every
# build resolves the same sources. etcd's server module needs no replaces, but gets the same treatment so its
# dependency versions are pinned too.
#
# Environment: K8S_VERSION, ETCD_VERSION (must match the committed go.mod files for `build`), NODE_AGENT_K8S_CACHE
# (default ~/.cache/node-agent/k8s). Exit 2 when Go is absent (the ITs then skip, saying so).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION="${K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
cache_root="${NODE_AGENT_K8S_CACHE:-$HOME/.cache/node-agent/k8s}"
out="$cache_root/$K8S_VERSION-etcd-$ETCD_VERSION"

if ! command -v go >/dev/null 2>&1; then
  echo "control-plane.sh: go not found on PATH; cannot build kube-apiserver/etcd" >&2
  exit 2
fi
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# Never download another toolchain: a module needing a newer Go than the installed one must fail here, loudly.
export GOTOOLCHAIN=local

generate() {
  local dir="$here/kube-apiserver" gomod staging minor
  minor="v0.${K8S_VERSION#v1.}"
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init node-agent.it/kube-apiserver >/dev/null 2>&1 && go mod edit -go=1.24.0 \
    && go mod edit -require="k8s.io/kubernetes@$K8S_VERSION")
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  # The staging list is the module's own: every `k8s.io/x => ./staging/src/k8s.io/x`.
  staging="$(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/.*#\1#p' "$gomod")"
  [ -n "$staging" ] || { echo "no staging replaces found in $gomod" >&2; exit 1; }
  for m in $staging; do (cd "$dir" && go mod edit -replace="$m=$m@$minor"); done
  (cd "$dir" && go mod tidy)
  dir="$here/etcd"
  rm -f "$dir/go.mod" "$dir/go.sum"
  (cd "$dir" && go mod init node-agent.it/etcd >/dev/null 2>&1 && go mod edit -go=1.26.0 \
    && go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION" && go mod tidy)
}

build() {
  local stamp want
  want="$K8S_VERSION $ETCD_VERSION $(cat "$here/kube-apiserver/go.sum" "$here/etcd/go.sum" | sha256sum | cut -c1-16)"
  stamp="$out/.built"
  if [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    echo "$out"
    return
  fi
  grep -q "k8s.io/kubernetes $K8S_VERSION" "$here/kube-apiserver/go.mod" \
    || { echo "kube-apiserver/go.mod is not for $K8S_VERSION: run control-plane.sh generate" >&2; exit 1; }
  grep -q "go.etcd.io/etcd/server/v3 $ETCD_VERSION" "$here/etcd/go.mod" \
    || { echo "etcd/go.mod is not for $ETCD_VERSION: run control-plane.sh generate" >&2; exit 1; }
  mkdir -p "$out"
  local minor="${K8S_VERSION#v1.}" v="k8s.io/component-base/version" c="k8s.io/client-go/pkg/version" flags="-s -w" p
  minor="${minor%%.*}"
  # What hack/lib/version.sh stamps, so /version reports the real release.
  for p in "$v" "$c"; do
    flags="$flags -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    flags="$flags -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  local t0=$SECONDS
  (cd "$here/kube-apiserver" && go build -mod=readonly -trimpath -ldflags="$flags" \
    -o "$out/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
  (cd "$here/etcd" && go build -mod=readonly -trimpath -ldflags="-s -w" -o "$out/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$out/kube-apiserver.tmp" "$out/kube-apiserver"
  mv "$out/etcd.tmp" "$out/etcd"
  echo "$want" > "$stamp"
  echo "control-plane.sh: built kube-apiserver $K8S_VERSION and etcd $ETCD_VERSION in $((SECONDS - t0)) s" >&2
  echo "$out"
}

case "${1:-build}" in
  generate) generate ;;
  build) build ;;
  *) echo "usage: $0 [build|generate]" >&2; exit 64 ;;
esac
