/** The read-only HTTP API: paths, status codes and content negotiation. Anything that changes state goes through the control socket. */
package dev.nodeagent.agent.http;
