package dev.nodeagent.age;

/** The package-internal half of a recipient: wrap a file key into one stanza. */
interface Wrapper {

    WireStanza wrap(byte[] fileKey);
}
