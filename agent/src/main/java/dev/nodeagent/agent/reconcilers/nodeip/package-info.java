/** {@code node-ip}: the kubelet's NODE_IP, picked by Calico's autodetection rules and kept in an environment file. */
package dev.nodeagent.agent.reconcilers.nodeip;
