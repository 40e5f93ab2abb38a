/** The systemd unit's file-system sandbox rebuilt with bubblewrap, and the packaged daemon run inside it. */
package dev.nodeagent.it.sandbox;
