#!/bin/sh
# A secrets repository as k8nix certToolkit + agenix users have it, made with openssl + age the way cfssl makes
# certs (deliberately NOT with node-agent's own code), for the bundle tests:
#   RSA 2048 PKCS#1 keys ("BEGIN RSA PRIVATE KEY", as cfssl writes them), cfssl-style subjects with C/L and an
#   organisation (O=DucksNest), keyUsage critical digitalSignature+keyEncipherment, extendedKeyUsage
#   serverAuth+clientAuth (cfssl's usual profile sets both), the etcd server cert with CN "etcd" and SANs that
#   include 127.0.0.1, and kube-apiserver-kubelet-client WITHOUT system:masters (RBAC binds the user directly).
# Every key is throwaway, made fresh on each run.
#   SECRETS/ca/k8s.crt, SECRETS/ca/k8s.key.age (operator only),
#   SECRETS/derived/<host>/k8s-<cert>.crt + .key.age (operator + host)
# usage: make-user-repo.sh SECRETS WORK OPERATOR_PUB CP_HOST CP_PUB W_HOST W_PUB
# env: DAYS (365) leaf validity
set -eu
out=$1; work=$2; op=$3; cp=$4; cppub=$5; w=$6; wpub=$7
mkdir -p "$out/ca" "$out/derived/$cp" "$out/derived/$w" "$work"
openssl genrsa -traditional -out "$work/ca.key" 2048 2>/dev/null
openssl req -x509 -new -key "$work/ca.key" -subj "/C=NL/L=Amsterdam/O=DucksNest/CN=DucksNest CA" -days 1825 -sha256 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign,digitalSignature \
  -out "$out/ca/k8s.crt"
age -R "$op" -o "$out/ca/k8s.key.age" "$work/ca.key"

# leaf HOST HOST_PUB CERT SUBJECT SAN ("" for none)
leaf() {
  host=$1; pub=$2; cert=$3; subj=$4; san=$5
  base="$work/$host-$cert"
  openssl genrsa -traditional -out "$base.key" 2048 2>/dev/null
  openssl req -new -key "$base.key" -subj "$subj" -out "$base.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > "$base.ext"
  if [ -n "$san" ]; then
    printf 'subjectAltName=%s\n' "$san" >> "$base.ext"
  fi
  openssl x509 -req -in "$base.csr" -CA "$out/ca/k8s.crt" -CAkey "$work/ca.key" -set_serial "0x$(openssl rand -hex 12)" \
    -days "${DAYS:-365}" -sha256 -extfile "$base.ext" -out "$out/derived/$host/k8s-$cert.crt" 2>/dev/null
  age -R "$op" -R "$pub" -o "$out/derived/$host/k8s-$cert.key.age" "$base.key"
  rm -f "$base.key" "$base.csr" "$base.ext"
}

leaf "$cp" "$cppub" etcd-server "/C=NL/L=Amsterdam/O=DucksNest/CN=etcd" \
  "DNS:etcd,DNS:etcd.ducksnest.lan,DNS:$cp,DNS:localhost,IP:127.0.0.1,IP:10.0.0.11"
leaf "$cp" "$cppub" etcd-peer "/C=NL/L=Amsterdam/O=DucksNest/CN=etcd-peer" "DNS:$cp,IP:10.0.0.11,IP:127.0.0.1"
leaf "$cp" "$cppub" kube-apiserver "/C=NL/L=Amsterdam/O=DucksNest/CN=kube-apiserver" \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:api.ducksnest.lan,IP:10.96.0.1,IP:10.0.0.11,IP:127.0.0.1"
leaf "$cp" "$cppub" kube-apiserver-kubelet-client "/C=NL/L=Amsterdam/O=DucksNest/CN=kube-apiserver-kubelet-client" ""
leaf "$cp" "$cppub" kubelet "/O=system:nodes/CN=system:node:$cp" "DNS:$cp,IP:10.0.0.11"
leaf "$w" "$wpub" kubelet "/O=system:nodes/CN=system:node:$w" "DNS:$w,IP:10.0.0.21"
leaf "$w" "$wpub" kube-proxy "/C=NL/O=system:node-proxier/CN=system:kube-proxy" ""
rm -f "$work/ca.key"
