//go:build tools

// Package tools pins the etcd server main package in this wrapper module (see ../control-plane.sh).
package tools

import _ "go.etcd.io/etcd/server/v3"
