/**
 * age (age-encryption.org/v1) with SSH recipients (ssh-ed25519, ssh-rsa) and X25519. Entry points: {@link
 * dev.nodeagent.age.Identities}, {@link dev.nodeagent.age.Recipients}, {@link dev.nodeagent.age.Age} (byte arrays),
 * {@link dev.nodeagent.age.AgeFiles} (streams and atomic files). The format (header, STREAM, armor) is implemented
 * here, strictly, so that every rule of the C2SP testkit is enforced and no plaintext is released before the whole
 * file authenticated; jagged provides Bech32, Bouncy Castle X25519 and PEM parsing, the JDK ChaCha20-Poly1305,
 * HMAC and RSA-OAEP. Never imports {@code dev.nodeagent.agent}.
 */
package dev.nodeagent.age;
