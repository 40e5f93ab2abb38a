package dev.nodeagent.age;

import java.util.List;

/** A parsed stanza including its body (wrapped key material); internal to the package. */
record WireStanza(String type, List<String> args, byte[] body) {

    WireStanza {
        args = List.copyOf(args);
    }

    Stanza toStanza() {
        return new Stanza(type, args);
    }
}
