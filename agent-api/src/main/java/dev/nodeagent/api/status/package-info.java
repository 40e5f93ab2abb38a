/** The status model reported over HTTP ({@code /status}), the control socket and to Kubernetes. */
package dev.nodeagent.api.status;
