package dev.nodeagent.agent.reconcilers.certbundle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cert-bundle meters. {@code x509_cert_not_after}/{@code x509_cert_not_before} use x509-certificate-exporter's
 * names and label names ({@code filepath}, {@code subject_CN}, {@code subject_O}, {@code issuer_CN},
 * {@code serial_number}) so its standard alert rules work unchanged; they describe the live set and are replaced
 * as a whole when it changes, so a rotated cert's old serial does not linger.
 */
final class BundleMetrics {

    private final MeterRegistry registry;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong inMemory = new AtomicLong(1);
    private final Counter switches;
    private final Map<String, AtomicLong> valid = new ConcurrentHashMap<>();
    private final List<Meter> x509 = new ArrayList<>();
    private List<CertFacts> published = List.of();

    BundleMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("node_agent_bundle_generation", generation, AtomicLong::get)
                .description("The live cert bundle generation (the number of <target>.gen/<n>); 0 before the first.")
                .register(registry);
        Gauge.builder("node_agent_bundle_target_in_memory", inMemory, AtomicLong::get)
                .description("1 when the cert target is on tmpfs or ramfs, 0 when decrypted keys would land on a disk.")
                .register(registry);
        switches = Counter.builder("node_agent_bundle_switch")
                .description("Switches of the cert target to a new generation.").register(registry);
    }

    void generation(long g) {
        generation.set(g);
    }

    void switched() {
        switches.increment();
    }

    void inMemory(boolean yes) {
        inMemory.set(yes ? 1 : 0);
    }

    /** 1 when every check of this cert passed in the last read of the bundle, 0 when one failed. */
    void valid(String cert, boolean ok) {
        valid.computeIfAbsent(cert, c -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("node_agent_certificate_valid", v, AtomicLong::get)
                    .description("1 when the cert passed every check in the last read of the bundle, else 0.")
                    .tag("cert", c).register(registry);
            return v;
        }).set(ok ? 1 : 0);
    }

    /** Replaces the x509 gauges with the facts of the live set; no-op when they are the same. */
    synchronized void publish(List<CertFacts> live) {
        if (live.equals(published)) {
            return;
        }
        x509.forEach(registry::remove);
        x509.clear();
        for (CertFacts c : live) {
            Tags tags = Tags.of("filepath", c.filepath(), "subject_CN", c.subjectCN(), "subject_O", c.subjectO(),
                    "issuer_CN", c.issuerCN(), "serial_number", c.serialNumber());
            double notAfter = c.notAfter().getEpochSecond();
            double notBefore = c.notBefore().getEpochSecond();
            x509.add(Gauge.builder("x509_cert_not_after", () -> notAfter)
                    .description("Certificate not-after (expiry) as a Unix timestamp.").tags(tags).register(registry));
            x509.add(Gauge.builder("x509_cert_not_before", () -> notBefore)
                    .description("Certificate not-before as a Unix timestamp.").tags(tags).register(registry));
        }
        published = List.copyOf(live);
    }
}
