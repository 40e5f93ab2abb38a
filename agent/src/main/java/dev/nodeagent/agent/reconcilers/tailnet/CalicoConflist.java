package dev.nodeagent.agent.reconcilers.tailnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import dev.nodeagent.api.json.PlainJson;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads the pod MTU from a CNI conflist: the {@code mtu} of the {@code calico} plugin (else the first plugin that
 * sets one). Calico's templates put it there; {@code 0} or no value means Calico picks it itself.
 */
public final class CalicoConflist {

    /** What the conflist says about the pod MTU. */
    public sealed interface PodMtu {
        /** No file at that path. */
        record Absent() implements PodMtu {
        }

        /** The file sets no MTU (or 0: auto-detect). */
        record NotSet() implements PodMtu {
        }

        record Value(int mtu) implements PodMtu {
        }
    }

    private CalicoConflist() {
    }

    /** @throws IOException when the file exists but is unreadable or not a conflist; the message names the file */
    public static PodMtu podMtu(Path file, String shownAs) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return new PodMtu.Absent();
        }
        Object root;
        try {
            root = PlainJson.parse(text);
        } catch (JacksonException e) {
            throw new IOException(shownAs + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof Map<?, ?> conflist) || !(conflist.get("plugins") instanceof List<?> plugins)) {
            throw new IOException(shownAs + " has no \"plugins\" list; is it a .conflist?");
        }
        Map<?, ?> chosen = null;
        for (Object entry : plugins) {
            if (!(entry instanceof Map<?, ?> p)) {
                continue; // not a plugin object: it sets no MTU
            }
            boolean hasMtu = p.containsKey("mtu");
            if ("calico".equals(p.get("type")) && hasMtu) {
                chosen = p;
                break;
            }
            if (chosen == null && hasMtu) {
                chosen = p;
            }
        }
        if (chosen == null) {
            return new PodMtu.NotSet();
        }
        Object mtu = chosen.get("mtu");
        int value;
        if (mtu instanceof Integer i) {
            value = i;
        } else if (mtu instanceof String s && s.strip().matches("\\d{1,6}")) {
            value = Integer.parseInt(s.strip());
        } else {
            throw new IOException(shownAs + ": \"mtu\" must be a number, not " + PlainJson.quote(mtu));
        }
        if (value < 0 || value > 65535) {
            throw new IOException(shownAs + ": \"mtu\" " + value + " is out of range");
        }
        return value == 0 ? new PodMtu.NotSet() : new PodMtu.Value(value);
    }
}
