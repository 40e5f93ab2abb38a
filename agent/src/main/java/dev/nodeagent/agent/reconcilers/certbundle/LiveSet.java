package dev.nodeagent.agent.reconcilers.certbundle;

import dev.nodeagent.agent.reconcilers.certbundle.BundleRead.CertState;
import dev.nodeagent.bundle.CertInfo;
import dev.nodeagent.bundle.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The live generation described from its public files ({@code ca.crt} first, then each {@code <cert>.crt}): what
 * status and metrics show for the live set after a restart, before this process has published anything. Keys are
 * not read. Checks are empty: the set passed them when it was published.
 */
final class LiveSet {

    private LiveSet() {
    }

    static List<CertState> read(Path dir, String target) throws IOException {
        List<Path> crts;
        try (Stream<Path> s = Files.list(dir)) {
            crts = s.filter(p -> p.getFileName().toString().endsWith(".crt"))
                    .sorted(Comparator.comparing((Path p) -> !p.getFileName().toString().equals("ca.crt"))
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
        List<CertState> out = new ArrayList<>();
        for (Path p : crts) {
            String file = p.getFileName().toString();
            String cert = file.equals("ca.crt") ? "ca" : file.substring(0, file.length() - ".crt".length());
            CertFacts facts = null;
            try {
                byte[] pem = Files.readAllBytes(p);
                if (Pem.isCertificate(pem)) {
                    CertInfo i = CertInfo.of(cert, Pem.certificate(pem));
                    facts = new CertFacts(cert, target + "/" + file, i.subjectCN(), i.subjectO(), i.issuerCN(),
                            i.serialNumber(), i.notBefore(), i.notAfter());
                }
            } catch (IllegalArgumentException e) {
                // a live file we wrote ourselves that no longer parses: listed without facts
            }
            out.add(new CertState(cert, target + "/" + file, facts, List.of()));
        }
        return out;
    }
}
