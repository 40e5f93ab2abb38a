package dev.nodeagent.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two process metrics with standard Prometheus names that dashboards expect: {@code process_cpu_seconds_total}
 * and {@code process_resident_memory_bytes} (read from {@code /proc/self/statm}, the kernel's own number).
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
        Gauge.builder("process.resident.memory", ProcessStats::residentBytes)
                .baseUnit("bytes").description("Resident set size of the agent process.").register(registry);
    }

    static double residentBytes() {
        try {
            String[] fields = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(fields[1]) * (double) PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
