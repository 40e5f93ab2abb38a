/** End-to-end tests that boot the real distribution ({@code packaging/target/node-agent}). */
package dev.nodeagent.it;
