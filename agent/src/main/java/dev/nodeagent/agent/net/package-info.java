/** Network rules shared by reconcilers (the MTU budget used by both {@code tailnet} and {@code cni-config}). */
package dev.nodeagent.agent.net;
