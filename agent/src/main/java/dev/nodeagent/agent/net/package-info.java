/** Network rules shared by reconcilers (the MTU budget used by both {@code tailnet} and {@code cni-config}) and name resolution. */
package dev.nodeagent.agent.net;
