//go:build tools

// Package tools pins the kube-apiserver main package in this wrapper module (see ../control-plane.sh).
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
