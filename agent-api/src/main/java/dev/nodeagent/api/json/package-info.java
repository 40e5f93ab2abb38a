/** The one JSON codec for the API records, so {@code /status} and {@code agentctl status -o json} agree byte for byte. */
package dev.nodeagent.api.json;
