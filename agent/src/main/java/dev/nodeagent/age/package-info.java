/**
 * age (age-encryption.org/v1) with SSH recipients (ssh-ed25519, ssh-rsa) and X25519 on jagged + Bouncy Castle.
 * Decryption releases no plaintext unless the whole file authenticated. Never imports {@code dev.nodeagent.agent}.
 */
package dev.nodeagent.age;
