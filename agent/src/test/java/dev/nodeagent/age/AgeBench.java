package dev.nodeagent.age;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * In-process benchmark harness (a plain main, never run by surefire): decrypts a large file (default 256 MiB) and a
 * 2 KiB file, reporting throughput / latency after warm-up. Run via {@code integration-tests/bench/age-bench.sh},
 * or: {@code java -cp 'packaging/target/node-agent/lib/*:agent/target/test-classes' dev.nodeagent.age.AgeBench
 * KEYDIR [MiB]} where KEYDIR holds {@code ssh_host_ed25519_key(.pub)} and {@code ssh_host_rsa_key(.pub)}.
 */
public final class AgeBench {

    private AgeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path keys = Path.of(args.length > 0 ? args[0] : "agent/src/test/resources/age-vectors/ssh/keys");
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        List<AgeIdentity> ed = Identities.load(keys.resolve("ssh_host_ed25519_key"), w -> { });
        List<AgeIdentity> rsa = Identities.load(keys.resolve("ssh_host_rsa_key"), w -> { });
        AgeRecipient edPub = Recipients.parse(Files.readString(keys.resolve("ssh_host_ed25519_key.pub")));
        AgeRecipient rsaPub = Recipients.parse(Files.readString(keys.resolve("ssh_host_rsa_key.pub")));

        Path big = Files.createTempFile("age-bench-", ".age");
        try {
            long size = (long) mib << 20;
            try (OutputStream out = Files.newOutputStream(big)) {
                AgeFiles.encrypt(pattern(size), out, List.of(edPub), false);
            }
            for (int i = 0; i < 4; i++) {
                long t0 = System.nanoTime();
                try (InputStream in = new BufferedInputStream(Files.newInputStream(big), 1 << 18)) {
                    Age.decryptBinary(in, OutputStream.nullOutputStream(), ed);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("decrypt %d MiB (ssh-ed25519) in process, run %d: %.3f s, %.0f MiB/s%n",
                        mib, i + 1, s, mib / s);
            }
        } finally {
            Files.deleteIfExists(big);
        }

        byte[] small = new byte[2048];
        for (var entry : List.of(List.of("ssh-ed25519", edPub, ed), List.of("ssh-rsa 4096", rsaPub, rsa))) {
            @SuppressWarnings("unchecked")
            List<AgeIdentity> ids = (List<AgeIdentity>) entry.get(2);
            byte[] file = Age.encrypt(small, List.of((AgeRecipient) entry.get(1)), false);
            for (int i = 0; i < 200; i++) {
                Age.decrypt(file, ids);
            }
            int n = 2000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Age.decrypt(file, ids);
            }
            System.out.printf("decrypt 2 KiB (%s) in process: %.1f µs/op%n", entry.get(0),
                    (System.nanoTime() - t0) / 1e3 / n);
        }
    }

    /** A cheap non-constant plaintext stream of {@code size} bytes. */
    private static InputStream pattern(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? (int) (left & 0xff) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((left - i) * 31);
                }
                left -= n;
                return n;
            }
        };
    }
}
