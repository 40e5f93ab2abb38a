#!/bin/sh
# Prepares jdeb's inputs in OUT: control files and the Debian changelog with the Debian version
# (Maven's 0.1.0-SNAPSHOT becomes 0.1.0~SNAPSHOT, which sorts before 0.1.0), changelog gzip'd -9n like dh_compress.
#   deb-prep.sh SRC_DIR OUT_DIR MAVEN_VERSION
set -eu
src=$1; out=$2; version=$(echo "$3" | tr '-' '~')
rm -rf "$out"; mkdir -p "$out/control" "$out/doc"
for f in "$src"/control/*; do sed "s/@VERSION@/$version/g" "$f" >"$out/control/$(basename "$f")"; done
chmod 0755 "$out/control/postinst" "$out/control/prerm" "$out/control/postrm"
sed "s/@VERSION@/$version/g" "$src/doc/changelog" | gzip -9n >"$out/doc/changelog.gz"
cp "$src/doc/copyright" "$out/doc/copyright"
cp "$src/doc/lintian-overrides" "$out/doc/lintian-overrides"
echo "$version" >"$out/version"
