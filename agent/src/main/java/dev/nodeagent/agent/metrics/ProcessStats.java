package dev.nodeagent.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;

/**
 * The two process metrics with standard Prometheus names that dashboards expect: {@code process_cpu_seconds_total}
 * and {@code process_resident_memory_bytes} (read from {@code /proc/self/statm}, the kernel's own number, on every
 * scrape: the file stays open and is read again from offset 0 into a fixed buffer, parsed without a String).
 */
final class ProcessStats {

    private static final long PAGE_SIZE = 4096;

    private ProcessStats() {
    }

    static void bindTo(MeterRegistry registry) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds").description("CPU time used by the agent process.").register(registry);
        }
        Statm statm = new Statm("/proc/self/statm");
        Gauge.builder("process.resident.memory", statm, Statm::residentBytes)
                .baseUnit("bytes").description("Resident set size of the agent process.").strongReference(true)
                .register(registry);
    }

    /** {@code /proc/self/statm}, opened once (a procfs file gives fresh numbers on every read from offset 0). */
    static final class Statm implements AutoCloseable {
        private final String path;
        private final byte[] buf = new byte[128];
        private RandomAccessFile file;

        Statm(String path) {
            this.path = path;
        }

        synchronized double residentBytes() {
            try {
                if (file == null) {
                    file = new RandomAccessFile(path, "r");
                }
                file.seek(0);
                int n = file.read(buf);
                long pages = field(buf, Math.max(n, 0), 1); // size resident shared text lib data dt
                return pages < 0 ? Double.NaN : pages * (double) PAGE_SIZE;
            } catch (IOException | RuntimeException e) {
                close();
                return Double.NaN;
            }
        }

        @Override
        public synchronized void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    // read-only procfs file
                }
                file = null;
            }
        }
    }

    /** Decimal field {@code index} (0-based, space separated) of a small ASCII buffer, or -1. */
    static long field(byte[] buf, int length, int index) {
        int i = 0;
        for (int f = 0; f < index; f++) {
            while (i < length && buf[i] != ' ') {
                i++;
            }
            while (i < length && buf[i] == ' ') {
                i++;
            }
        }
        if (i >= length || buf[i] < '0' || buf[i] > '9') {
            return -1;
        }
        long v = 0;
        while (i < length && buf[i] >= '0' && buf[i] <= '9') {
            v = v * 10 + (buf[i++] - '0');
        }
        return v;
    }
}
