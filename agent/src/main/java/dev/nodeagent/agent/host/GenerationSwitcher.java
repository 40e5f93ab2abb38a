package dev.nodeagent.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Swaps a whole set of files at once, agenix style: {@code <target>} is a symlink to a numbered generation dir
 * {@code <target>.gen/<n>}; a new set is written to {@code <target>.gen/<n+1>.tmp}, every file and the dir are
 * fsynced, the dir is renamed to {@code <n+1>}, and only then is the symlink replaced in one rename. A reader
 * that opens {@code <target>/x} sees either the old set or the new one, never a mix or a missing file; a crash
 * at any moment leaves the old symlink (and at worst a stray {@code .tmp} or unused dir, pruned next time).
 *
 * <p>The link text is relative ({@code certs.gen/7}), so the set works the same under a sandbox host root.
 * {@link #prune} keeps the live generation and the one it replaced (for a consumer that opened the old dir a
 * moment before the switch) and removes everything else in the generations dir, crash leftovers included.
 */
public final class GenerationSwitcher {

    private static final Pattern GENERATION = Pattern.compile("[0-9]{1,18}");
    private static final FileMode DIR_MODE = FileMode.of(0755);

    /** One file of a set: a plain name (no slashes), its bytes and its mode. */
    public record Entry(String name, byte[] content, FileMode mode) {
        public Entry {
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.startsWith(".")) {
                throw new IllegalArgumentException("not a plain file name: " + name);
            }
        }
    }

    /** The generation the target points at now. */
    public record Live(long generation, Path dir) {
    }

    private final Path target;
    private final Path generations;
    /** The generation that was live before this instance's last switch; -1 when it has not switched. */
    private long previousLive = -1;

    /** {@code target} is the stable path consumers use, e.g. {@code /run/node-agent/certs}. */
    public GenerationSwitcher(Path target) {
        this.target = target.toAbsolutePath().normalize();
        this.generations = this.target.resolveSibling(this.target.getFileName() + ".gen");
    }

    public Path target() {
        return target;
    }

    public Path generationsDir() {
        return generations;
    }

    /** The live generation, if the target is a symlink to one of ours that exists. */
    public Optional<Live> live() throws IOException {
        if (!Files.isSymbolicLink(target)) {
            return Optional.empty();
        }
        Path text = Files.readSymbolicLink(target);
        Path dir = target.resolveSibling(text).normalize();
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!generations.equals(dir.getParent()) || !GENERATION.matcher(name).matches()
                || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(new Live(Long.parseLong(name), dir));
    }

    /**
     * True when the live generation holds exactly these files (names, bytes and modes) and nothing else. Read-only:
     * a pass over an unchanged set writes nothing.
     */
    public boolean isLive(List<Entry> entries) throws IOException {
        Optional<Live> live = live();
        if (live.isEmpty()) {
            return false;
        }
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(live.get().dir())) {
            ds.forEach(p -> present.add(p.getFileName().toString()));
        }
        if (present.size() != entries.size()) {
            return false;
        }
        for (Entry e : entries) {
            Path f = live.get().dir().resolve(e.name());
            if (!present.contains(e.name()) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(f) != e.content().length || !AtomicWriter.hasMode(f, e.mode())
                    || !Arrays.equals(Files.readAllBytes(f), e.content())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code entries} as a new generation and points the target at it. On any failure (ENOSPC, a bad
     * owner) the partial dir is removed and the target still points where it did; the exception says why.
     * Returns the new generation number. Does not prune.
     */
    public long switchTo(List<Entry> entries) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            // A real dir (made by hand, or by an older tool) cannot be replaced atomically; only an empty one is safe to drop.
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
                if (ds.iterator().hasNext()) {
                    throw new IOException(target + " is a non-empty directory, not a symlink; move it away so it can become one");
                }
            }
            Files.delete(target);
        }
        long before = live().map(Live::generation).orElse(-1L);
        Files.createDirectories(generations);
        long next = highestGeneration().orElse(0) + 1;
        Path tmp = generations.resolve(next + ".tmp");
        Path dir = generations.resolve(Long.toString(next));
        try {
            deleteTree(tmp);
            Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (Entry e : entries) {
                writeFile(tmp.resolve(e.name()), e.content(), e.mode());
            }
            AtomicWriter.applyMode(tmp, DIR_MODE);
            AtomicWriter.fsyncDirectory(tmp);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            AtomicWriter.fsyncDirectory(generations);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        try {
            new AtomicWriter().symlink(target, target.getParent().relativize(dir).toString());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir); // never live: the rename of the link did not happen
            throw e;
        }
        previousLive = before;
        return next;
    }

    /**
     * Removes every entry of the generations dir except the live generation and the one it replaced (when this
     * instance made the switch; after a restart, the newest one below the live one). Returns what it removed
     * (names), empty when there was nothing to do.
     */
    public List<String> prune() throws IOException {
        if (!Files.isDirectory(generations)) {
            return List.of();
        }
        Optional<Live> live = live();
        long keepLive = live.map(Live::generation).orElse(-1L);
        long keepPrevious = -1;
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(generations)) {
            ds.forEach(all::add);
        }
        for (Path p : all) {
            String n = p.getFileName().toString();
            if (previousLive >= 0) {
                keepPrevious = previousLive;
            } else if (GENERATION.matcher(n).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                long g = Long.parseLong(n);
                if (g < keepLive && g > keepPrevious) {
                    keepPrevious = g;
                }
            }
        }
        List<String> removed = new ArrayList<>();
        for (Path p : all) {
            String n = p.getFileName().toString();
            boolean keep = live.isPresent() && (n.equals(Long.toString(keepLive)) || n.equals(Long.toString(keepPrevious)));
            if (!keep) {
                deleteTree(p);
                removed.add(n);
            }
        }
        if (!removed.isEmpty()) {
            AtomicWriter.fsyncDirectory(generations);
        }
        return List.copyOf(removed);
    }

    /** The highest numbered generation dir present (live or not), so a number is never reused after a crash. */
    OptionalLong highestGeneration() throws IOException {
        long max = -1;
        if (Files.isDirectory(generations)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(generations)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString().replaceFirst("\\.tmp$", "");
                    if (GENERATION.matcher(n).matches()) {
                        max = Math.max(max, Long.parseLong(n));
                    }
                }
            }
        }
        return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
    }

    private static void writeFile(Path file, byte[] content, FileMode mode) throws IOException {
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        AtomicWriter.applyMode(file, mode);
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // Best effort: a leftover is pruned on the next switch; the original error is what matters.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
