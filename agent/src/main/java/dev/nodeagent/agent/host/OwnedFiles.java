package dev.nodeagent.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The files one reconciler owns, written through the {@link AtomicWriter}, with drift detection: the digest and
 * mode of what this instance last left in each file are remembered, so a later pass can tell "someone edited,
 * chmod-ed or deleted my file" (drift, counted by the caller) from "what I want changed" (a rotation or a new
 * config). Memory only: the first pass after a start never calls a difference drift, because the file may be
 * the output of the scripts the agent replaces. Only digests are kept, never content (kubeconfigs may embed
 * keys). Not thread-safe: a reconciler's passes never overlap.
 */
public final class OwnedFiles {

    /** What one write did: {@code changed} = bytes or mode written; {@code driftCorrected} = it undid a foreign change. */
    public record Result(boolean changed, boolean driftCorrected) {
    }

    private record Known(byte[] digest, FileMode mode) {
    }

    private final AtomicWriter writer;
    private final Map<Path, Known> known = new HashMap<>();

    public OwnedFiles(AtomicWriter writer) {
        this.writer = writer;
    }

    /** Makes {@code target} hold exactly {@code content} with {@code mode}; writes nothing when it already does. */
    public Result write(Path target, byte[] content, FileMode mode) throws IOException {
        Known before = known.get(target);
        boolean drifted = before != null && !intact(target, before);
        boolean changed = writer.write(target, content, mode);
        known.put(target, new Known(sha256(content), mode));
        return new Result(changed, drifted && changed);
    }

    private static boolean intact(Path target, Known k) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return Arrays.equals(sha256(Files.readAllBytes(target)), k.digest()) && AtomicWriter.hasMode(target, k.mode());
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
