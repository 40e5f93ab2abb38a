package dev.nodeagent.agent.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The meters of Micrometer's {@code ProcessorMetrics}, {@code FileDescriptorMetrics} and {@code JvmThreadMetrics},
 * with the same names, units, tags and help texts, at a fraction of the cost per scrape. Measured with async-profiler
 * under 200 scrapes/s (demo config), those three binders were half of a scrape's CPU:
 * <ul>
 * <li>{@code system_cpu_usage} / {@code process_cpu_usage}: the JDK's {@code getCpuLoad()} and
 *     {@code getProcessCpuLoad()} read several cgroup files per call (container detection, quota, shares, cpusets)
 *     through reflection (26% of a scrape). Here both are the usage since the previous computation, recomputed at
 *     most once a second (the JDK also reports the usage since its previous call): CPU time from
 *     {@code getProcessCpuTime()} and one read of {@code /proc/stat}.</li>
 * <li>{@code process_files_open_files}: the JDK lists {@code /proc/self/fd} (a dentry lookup per descriptor, 11%).
 *     Since Linux 6.2 a {@code stat} of that directory returns the count as its size; older kernels fall back to the
 *     listing.</li>
 * <li>{@code jvm_threads_states_threads}: Micrometer takes one {@code ThreadMXBean.getThreadInfo} snapshot of every
 *     thread per state, six per scrape (7%); here one snapshot per scrape serves all six series, and it is not a
 *     {@code ThreadInfo} per thread but {@code Thread.getState()} of the threads the root thread group enumerates
 *     (the same live platform threads: both come from the JVM's list of all threads; ThreadInfo's construction and
 *     the MXBean's stream of ids were 22% of a scrape once the exposition itself got cheap).</li>
 * </ul>
 */
final class RuntimeStats {

    private static final java.io.File PROC_SELF_FD = new java.io.File("/proc/self/fd");

    /** Minimum window of the CPU usage gauges. */
    static final long USAGE_WINDOW_NANOS = 1_000_000_000L;

    private RuntimeStats() {
    }

    /** {@code scrapeGeneration} changes once per scrape: all thread-state series of one scrape share a snapshot. */
    static void bindTo(MeterRegistry registry, LongSupplier scrapeGeneration) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        Gauge.builder("system.load.average.1m", os, OperatingSystemMXBean::getSystemLoadAverage)
                .description("The sum of the number of runnable entities queued to available processors and the number "
                        + "of runnable entities running on the available processors averaged over a period of time")
                .strongReference(true).register(registry);
        SystemCpu system = new SystemCpu();
        Gauge.builder("system.cpu.usage", system, SystemCpu::usage)
                .description("The \"recent cpu usage\" of the system the application is running in")
                .strongReference(true).register(registry);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            ProcessCpu process = new ProcessCpu(sun);
            Gauge.builder("process.cpu.usage", process, ProcessCpu::usage)
                    .description("The \"recent cpu usage\" for the Java Virtual Machine process")
                    .strongReference(true).register(registry);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Gauge.builder("process.files.open", unix, RuntimeStats::openFiles)
                    .description("The open file descriptor count").baseUnit("files")
                    .strongReference(true).register(registry);
            Gauge.builder("process.files.max", unix,
                            com.sun.management.UnixOperatingSystemMXBean::getMaxFileDescriptorCount)
                    .description("The maximum file descriptor count").baseUnit("files")
                    .strongReference(true).register(registry);
        }
        bindThreads(registry, scrapeGeneration);
    }

    private static void bindThreads(MeterRegistry registry, LongSupplier scrapeGeneration) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Gauge.builder("jvm.threads.peak", threads, ThreadMXBean::getPeakThreadCount)
                .description("The peak live thread count since the Java virtual machine started or peak was reset")
                .baseUnit("threads").strongReference(true).register(registry);
        Gauge.builder("jvm.threads.daemon", threads, ThreadMXBean::getDaemonThreadCount)
                .description("The current number of live daemon threads").baseUnit("threads")
                .strongReference(true).register(registry);
        Gauge.builder("jvm.threads.live", threads, ThreadMXBean::getThreadCount)
                .description("The current number of live threads including both daemon and non-daemon threads")
                .baseUnit("threads").strongReference(true).register(registry);
        FunctionCounter.builder("jvm.threads.started", threads, ThreadMXBean::getTotalStartedThreadCount)
                .description("The total number of application threads started in the JVM").baseUnit("threads")
                .register(registry); // the platform MXBean is a JVM-wide singleton: a weak reference is safe
        ThreadStates states = new ThreadStates(scrapeGeneration);
        for (Thread.State state : Thread.State.values()) {
            Gauge.builder("jvm.threads.states", states, s -> s.count(state))
                    .tags(Tags.of("state", state.name().toLowerCase(Locale.ROOT).replace('_', '-')))
                    .description("The current number of threads").baseUnit("threads")
                    .strongReference(true).register(registry);
        }
    }

    /** Open descriptors: the size of {@code /proc/self/fd} (Linux 6.2+), else the JDK's directory listing. */
    static double openFiles(com.sun.management.UnixOperatingSystemMXBean os) {
        long n = PROC_SELF_FD.length(); // one stat(2); 0 when it fails or the kernel is older than 6.2
        return n > 0 ? n : os.getOpenFileDescriptorCount();
    }

    /**
     * Thread counts by state from one snapshot per scrape generation: the live platform threads, as
     * {@code ThreadMXBean.getAllThreadIds()} lists them (virtual threads are not counted), with a thread that ended
     * meanwhile left out (a {@code ThreadInfo} of an ended thread is null).
     */
    static final class ThreadStates {
        private static final ThreadGroup ROOT = root();
        private final LongSupplier generation;
        private long snapshotGeneration = Long.MIN_VALUE;
        private final int[] counts = new int[Thread.State.values().length];
        private Thread[] threads = new Thread[64];

        ThreadStates(LongSupplier generation) {
            this.generation = generation;
        }

        private static ThreadGroup root() {
            ThreadGroup g = Thread.currentThread().getThreadGroup();
            while (g.getParent() != null) {
                g = g.getParent();
            }
            return g;
        }

        synchronized double count(Thread.State state) {
            long g = generation.getAsLong();
            if (g != snapshotGeneration) {
                java.util.Arrays.fill(counts, 0);
                int n;
                while ((n = ROOT.enumerate(threads, true)) == threads.length) {
                    threads = new Thread[threads.length * 2];
                }
                for (int i = 0; i < n; i++) {
                    Thread.State s = threads[i].getState();
                    if (s != Thread.State.TERMINATED) {
                        counts[s.ordinal()]++;
                    }
                    threads[i] = null; // no reference kept to a thread that ends
                }
                snapshotGeneration = g;
            }
            return counts[state.ordinal()];
        }
    }

    /** Share of all CPUs used by this process since the previous computation (at most one a second). */
    static final class ProcessCpu {
        private final com.sun.management.OperatingSystemMXBean os;
        private final int cpus = Runtime.getRuntime().availableProcessors();
        private long lastNanos;
        private long lastCpu;
        private double value = Double.NaN;

        ProcessCpu(com.sun.management.OperatingSystemMXBean os) {
            this.os = os;
            // first window: since the JVM started
            lastNanos = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
            lastCpu = 0;
        }

        synchronized double usage() {
            long now = System.nanoTime();
            if (!Double.isNaN(value) && now - lastNanos < USAGE_WINDOW_NANOS) {
                return value;
            }
            long cpu = os.getProcessCpuTime();
            if (cpu < 0 || now <= lastNanos) {
                return value;
            }
            value = Math.min(1.0, Math.max(0.0, (double) (cpu - lastCpu) / ((now - lastNanos) * (double) cpus)));
            lastNanos = now;
            lastCpu = cpu;
            return value;
        }
    }

    /** Share of all CPUs busy since the previous computation (at most one a second), from {@code /proc/stat}. */
    static final class SystemCpu {
        private final Path stat;
        private long lastNanos;
        private long lastTotal;
        private long lastIdle;
        private double value = Double.NaN;

        SystemCpu() {
            this(Path.of("/proc/stat"));
        }

        SystemCpu(Path stat) {
            this.stat = stat;
        }

        synchronized double usage() {
            long now = System.nanoTime();
            if (lastNanos != 0 && now - lastNanos < USAGE_WINDOW_NANOS) {
                return value;
            }
            long[] ticks = readCpuLine(stat);
            if (ticks == null) {
                return Double.NaN;
            }
            long total = 0;
            for (int i = 0; i < Math.min(8, ticks.length); i++) { // user nice system idle iowait irq softirq steal
                total += ticks[i];
            }
            long idle = ticks[3] + (ticks.length > 4 ? ticks[4] : 0);
            long dTotal = total - lastTotal;
            value = dTotal <= 0 ? value : Math.min(1.0, Math.max(0.0, 1.0 - (double) (idle - lastIdle) / dTotal));
            lastNanos = now;
            lastTotal = total;
            lastIdle = idle;
            return value;
        }

        /** The numbers of the aggregate {@code cpu} line, or null when the file cannot be read. */
        static long[] readCpuLine(Path stat) {
            byte[] buf = new byte[512];
            int n;
            try (RandomAccessFile f = new RandomAccessFile(stat.toFile(), "r")) {
                n = f.read(buf);
            } catch (IOException e) {
                return null;
            }
            if (n < 4 || buf[0] != 'c' || buf[1] != 'p' || buf[2] != 'u' || buf[3] != ' ') {
                return null;
            }
            int line = 0;
            while (line < n && buf[line] != '\n') {
                line++;
            }
            long[] fields = new long[10];
            int count = 0;
            while (count < fields.length) {
                long v = ProcessStats.field(buf, line, count + 1); // field 0 is "cpu"
                if (v < 0) {
                    break;
                }
                fields[count++] = v;
            }
            return count >= 4 ? java.util.Arrays.copyOf(fields, count) : null;
        }
    }
}
