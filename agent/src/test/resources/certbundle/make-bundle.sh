#!/bin/sh
# A k8nix-layout cert bundle made by hand with openssl + age (deliberately NOT with node-agent's own code), for
# tests and the demo fallback:
#   SECRETS/ca/<ca>.crt, SECRETS/derived/<host>/<ca>-<cert>.crt, SECRETS/derived/<host>/<ca>-<cert>.key.age
# usage: make-bundle.sh SECRETS CA_DIR HOST RECIPIENTS_FILE [CERT...]     (default certs: kubelet calico-cni kube-proxy)
# CA_DIR keeps the CA key (outside SECRETS); an existing CA there is reused, so re-running rotates the leaves.
# env: CA (k8s), DAYS (365), STARTDATE/ENDDATE (YYYYMMDDHHMMSSZ, e.g. an expired cert), KUBELET_CN,
#      MISMATCH=1 (encrypt a different key than the one certified)
set -eu
out=$1; cadir=$2; host=$3; rcpt=$4; shift 4
certs=${*:-kubelet calico-cni kube-proxy}
ca=${CA:-k8s}
mkdir -p "$out/ca" "$out/derived/$host" "$cadir"
if [ ! -f "$cadir/ca.key" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$cadir/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$cadir/ca.key" -subj "/CN=$ca-ca" -days 3650 -out "$cadir/ca.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
fi
cp "$cadir/ca.crt" "$out/ca/$ca.crt"
for cert in $certs; do
  san=""
  case $cert in
    kubelet) subj="/O=system:nodes/CN=${KUBELET_CN:-system:node:$host}"; eku=serverAuth,clientAuth; san="subjectAltName=DNS:$host" ;;
    kube-proxy) subj="/O=system:node-proxier/CN=system:kube-proxy"; eku=clientAuth ;;
    *) subj="/CN=$cert"; eku=clientAuth ;;
  esac
  tmp=$(mktemp -d)
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/key.pem" 2>/dev/null
  openssl req -new -key "$tmp/key.pem" -subj "$subj" -out "$tmp/csr.pem"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s\n' \
    "$eku" "$san" > "$tmp/ext"
  if [ -n "${ENDDATE:-}" ]; then
    : > "$tmp/index.txt"
    openssl rand -hex 8 > "$tmp/serial"
    printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\nnew_certs_dir=%s\nserial=%s/serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\norganizationName=optional\ncommonName=supplied\n' \
      "$tmp" "$tmp" "$tmp" > "$tmp/ca.cnf"
    openssl ca -batch -notext -config "$tmp/ca.cnf" -in "$tmp/csr.pem" -out "$tmp/crt.pem" -cert "$cadir/ca.crt" \
      -keyfile "$cadir/ca.key" -startdate "${STARTDATE:-20200101000000Z}" -enddate "$ENDDATE" -extfile "$tmp/ext" 2>/dev/null
  else
    openssl x509 -req -in "$tmp/csr.pem" -CA "$cadir/ca.crt" -CAkey "$cadir/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
      -days "${DAYS:-365}" -extfile "$tmp/ext" -out "$tmp/crt.pem" 2>/dev/null
  fi
  if [ "${MISMATCH:-}" = 1 ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/key.pem" 2>/dev/null
  fi
  cp "$tmp/crt.pem" "$out/derived/$host/$ca-$cert.crt"
  age -R "$rcpt" -o "$out/derived/$host/$ca-$cert.key.age" "$tmp/key.pem"
  rm -rf "$tmp"
done
