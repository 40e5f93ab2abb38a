/**
 * Building a fabric8 client from a kubeconfig file, shared by the daemon and {@code agentctl}: never imports
 * {@code dev.nodeagent.agent.*}.
 */
package dev.nodeagent.kube;
