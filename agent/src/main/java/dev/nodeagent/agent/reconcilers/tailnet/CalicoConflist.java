package dev.nodeagent.agent.reconcilers.tailnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the pod MTU from a CNI conflist: the {@code mtu} of the {@code calico} plugin (else the first plugin that
 * sets one). Calico's templates put it there; {@code 0} or no value means Calico picks it itself.
 */
public final class CalicoConflist {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

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
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new IOException(shownAs + " is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode plugins = root == null ? null : root.get("plugins");
        if (plugins == null || !plugins.isArray()) {
            throw new IOException(shownAs + " has no \"plugins\" list; is it a .conflist?");
        }
        JsonNode chosen = null;
        for (JsonNode p : plugins) {
            boolean hasMtu = p.has("mtu");
            if ("calico".equals(p.path("type").asString("")) && hasMtu) {
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
        JsonNode mtu = chosen.get("mtu");
        int value;
        if (mtu.isInt()) {
            value = mtu.intValue();
        } else if (mtu.isString() && mtu.asString().strip().matches("\\d{1,6}")) {
            value = Integer.parseInt(mtu.asString().strip());
        } else {
            throw new IOException(shownAs + ": \"mtu\" must be a number, not " + mtu);
        }
        if (value < 0 || value > 65535) {
            throw new IOException(shownAs + ": \"mtu\" " + value + " is out of range");
        }
        return value == 0 ? new PodMtu.NotSet() : new PodMtu.Value(value);
    }
}
