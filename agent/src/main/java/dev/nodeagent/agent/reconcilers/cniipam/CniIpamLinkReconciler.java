package dev.nodeagent.agent.reconcilers.cniipam;

import dev.nodeagent.agent.config.ConfigNode;
import dev.nodeagent.agent.config.ConfigSection;
import dev.nodeagent.agent.host.AtomicWriter;
import dev.nodeagent.agent.host.HostPaths;
import dev.nodeagent.agent.reconcile.Outcome;
import dev.nodeagent.agent.reconcile.ReconcileContext;
import dev.nodeagent.agent.reconcile.Reconciler;
import dev.nodeagent.agent.reconcile.Watch;
import dev.nodeagent.agent.spec.ReconcilerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code <binDir>/calico-ipam} a symlink to the same target as {@code <binDir>/calico}. NixOS ships only
 * {@code calico} (which is also the IPAM plugin, by argv[0]), and its kubelet empties {@code /opt/cni/bin} on every
 * start, so the bin dir is watched (a pass within milliseconds of a change) and checked every pass. A wrong or dangling link or a stray regular file is replaced; nothing
 * else in the directory is touched. A {@code calico-ipam} that already runs the same program is left alone: a
 * regular file or a link to one with the same bytes as {@code calico} (packages that ship it as a real copy),
 * executable. Replacing it would make every pass on such a node a "repair".
 */
public final class CniIpamLinkReconciler implements Reconciler {

    public static final String NAME = "cni-ipam-link";

    /** {@code reconcilers.cniIpamLink}: {@code binDir} (default {@code /opt/cni/bin}), {@code source}, {@code link}. */
    public record Settings(String binDir, String source, String link) {
        public static Settings parse(ConfigNode n) {
            String binDir = n.absolutePath("binDir", "/opt/cni/bin");
            String source = n.string("source", "calico");
            String link = n.string("link", "calico-ipam");
            for (String key : new String[] {"source", "link"}) {
                String v = key.equals("source") ? source : link;
                if (v.isEmpty() || v.contains("/") || v.equals(".") || v.equals("..")) {
                    n.problem(key, "must be a plain file name inside binDir");
                }
            }
            return new Settings(binDir, source, link);
        }
    }

    public static final ReconcilerSpec<Settings> SPEC = new ReconcilerSpec<>(NAME,
            new ConfigSection<>("cniIpamLink", Duration.ofMinutes(5), Duration.ofSeconds(10), role -> true,
                    (node, nodeConfig) -> Settings.parse(node)),
            (settings, services) -> new CniIpamLinkReconciler(settings, services.hostPaths(), services.writer()));

    private final Settings settings;
    private final Path binDir;
    private final AtomicWriter writer;
    private final IdenticalFiles identical = new IdenticalFiles();

    public CniIpamLinkReconciler(Settings settings, HostPaths paths, AtomicWriter writer) {
        this.settings = settings;
        this.binDir = paths.resolve(settings.binDir());
        this.writer = writer;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The bin dir and its entries: the kubelet empties (or recreates) it at start; the link is back in ms. */
    @Override
    public List<Watch> watches() {
        return List.of(Watch.dir(binDir));
    }

    @Override
    public Outcome reconcile(ReconcileContext context) throws IOException {
        Path source = binDir.resolve(settings.source());
        Path link = binDir.resolve(settings.link());
        if (!Files.exists(source)) { // follows links: a dangling calico link counts as absent
            String what = Files.isSymbolicLink(source) ? "is a dangling symlink" : "does not exist";
            return Outcome.waiting("SourceMissing", settings.binDir() + "/" + settings.source() + " " + what);
        }
        // Same target as calico: its link text when it is a symlink (a /nix/store path on NixOS), else calico itself.
        String target = Files.isSymbolicLink(source) ? Files.readSymbolicLink(source).toString() : settings.source();
        String where = settings.binDir() + "/" + settings.link() + " -> " + target;
        String linkPath = settings.binDir() + "/" + settings.link();
        if (!isLinkTo(link, target) && identical.test(link, source)) {
            String what = Files.isSymbolicLink(link) ? "a link to " + Files.readSymbolicLink(link) + ", " : "";
            return Outcome.ok(false, linkPath + " (" + what + "identical to " + settings.source() + ")")
                    .withDetails(Map.of("link", linkPath, "identicalTo", settings.binDir() + "/" + settings.source()));
        }
        Map<String, Object> details = Map.of("link", linkPath, "target", target);
        String before = describe(link);
        boolean changed = writer.symlink(link, target);
        return Outcome.ok(changed, changed ? "repaired " + where + " (was " + before + ")" : where).withDetails(details);
    }

    private static boolean isLinkTo(Path link, String target) throws IOException {
        return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().equals(target);
    }

    private static String describe(Path link) throws IOException {
        if (Files.isSymbolicLink(link)) {
            return "a link to " + Files.readSymbolicLink(link) + (Files.exists(link) ? "" : ", dangling");
        }
        if (Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS)) {
            return "a regular file";
        }
        return "missing";
    }
}
