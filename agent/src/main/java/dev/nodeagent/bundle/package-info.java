/**
 * Cert bundles: the on-disk layout (k8nix certToolkit + agenix, or flat), loading with in-memory key decryption,
 * the validation every consumer relies on, and authoring (CA + leaf issuing) for {@code agentctl bundle}.
 * Never imports {@code dev.nodeagent.agent}; never puts key bytes in a message or {@code toString()}.
 */
package dev.nodeagent.bundle;
