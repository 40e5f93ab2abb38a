package dev.nodeagent.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeStatsTest {

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong generation = new AtomicLong();

    @Test
    void registersTheMetersOfTheMicrometerBindersItReplaces() {
        RuntimeStats.bindTo(registry, generation::get);
        for (String name : List.of("system.load.average.1m", "system.cpu.usage", "process.cpu.usage", "process.files.open",
                "process.files.max", "jvm.threads.peak", "jvm.threads.daemon", "jvm.threads.live")) {
            assertEquals(1, registry.find(name).gauges().size(), name);
        }
        assertEquals(1, registry.find("jvm.threads.started").functionCounters().size());
        assertEquals(6, registry.find("jvm.threads.states").gauges().size());
        assertEquals(1, registry.find("jvm.threads.states").tag("state", "timed-waiting").gauges().size());
        // the meters that fail promtool's lint stay out
        assertEquals(0, registry.find("process.cpu.time").meters().size());
        assertEquals(0, registry.find("system.cpu.count").meters().size());
    }

    @Test
    void openFilesCountsDescriptorsLikeTheJdk() throws Exception {
        RuntimeStats.bindTo(registry, generation::get);
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double before = registry.get("process.files.open").gauge().value();
        // the JDK's count includes the descriptor of its own directory listing
        long jdk = os.getOpenFileDescriptorCount();
        assertTrue(Math.abs(before - jdk) <= 1, before + " vs JDK " + jdk);
        // Other tests in this JVM may open or close descriptors meanwhile (servers shutting down), so one clean
        // observation of +1 while a file is open and back afterwards, out of a few attempts, is the proof.
        String seen = "";
        for (int attempt = 0; attempt < 20; attempt++) {
            double b = registry.get("process.files.open").gauge().value();
            double during;
            try (var in = Files.newInputStream(Path.of("/proc/self/status"))) {
                during = registry.get("process.files.open").gauge().value();
            }
            double after = registry.get("process.files.open").gauge().value();
            if (during == b + 1 && after == b) {
                return;
            }
            seen += " " + b + "/" + during + "/" + after;
            Thread.sleep(50);
        }
        throw new AssertionError("never saw before/open/after = n/n+1/n:" + seen);
    }

    @Test
    void threadStatesComeFromOneSnapshotPerScrape() throws Exception {
        RuntimeStats.bindTo(registry, generation::get);
        double waiting = registry.get("jvm.threads.states").tag("state", "waiting").gauge().value();
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
            // same scrape: the snapshot taken before the thread started
            assertEquals(waiting, registry.get("jvm.threads.states").tag("state", "waiting").gauge().value());
            generation.incrementAndGet();
            assertEquals(waiting + 1, registry.get("jvm.threads.states").tag("state", "waiting").gauge().value());
            double sum = 0;
            for (var g : registry.find("jvm.threads.states").gauges()) {
                sum += g.value();
            }
            assertTrue(sum >= 2, "all platform threads: " + sum);
        } finally {
            release.countDown();
            t.join();
        }
    }

    @Test
    void threadStatesCountTheThreadsThatTheThreadMXBeanLists() throws Exception {
        var mx = ManagementFactory.getThreadMXBean();
        List<Thread> started = new java.util.ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 70; i++) { // more than the first enumeration array holds
            started.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Thread virtual = Thread.ofVirtual().start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (Thread t : started) {
                while (t.getState() != Thread.State.WAITING) {
                    Thread.sleep(1);
                }
            }
            // a few tries: threads of the test JVM may come and go between the two snapshots
            String last = "";
            for (int attempt = 0; attempt < 20; attempt++) {
                int[] mxCounts = new int[Thread.State.values().length];
                for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                    if (info != null) {
                        mxCounts[info.getThreadState().ordinal()]++;
                    }
                }
                RuntimeStats.ThreadStates states = new RuntimeStats.ThreadStates(generation::get);
                int[] ours = new int[mxCounts.length];
                for (Thread.State s : Thread.State.values()) {
                    ours[s.ordinal()] = (int) states.count(s);
                }
                // the running states of the two snapshots may differ; the waiting threads and the total may not
                if (java.util.Arrays.stream(ours).sum() == java.util.Arrays.stream(mxCounts).sum()
                        && ours[Thread.State.WAITING.ordinal()] == mxCounts[Thread.State.WAITING.ordinal()]) {
                    assertTrue(ours[Thread.State.WAITING.ordinal()] >= 70, java.util.Arrays.toString(ours));
                    return;
                }
                last = java.util.Arrays.toString(ours) + " vs MXBean " + java.util.Arrays.toString(mxCounts);
                Thread.sleep(10);
            }
            throw new AssertionError(last);
        } finally {
            release.countDown();
            for (Thread t : started) {
                t.join();
            }
            virtual.join();
        }
    }

    @Test
    void processCpuUsageIsAShareOfAllCpus() {
        RuntimeStats.ProcessCpu cpu = new RuntimeStats.ProcessCpu(
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean());
        double first = cpu.usage();
        assertTrue(first > 0 && first <= 1, "since JVM start: " + first);
        assertEquals(first, cpu.usage(), "recomputed at most once a second");
    }

    @Test
    void systemCpuUsageIsTheBusyShareOfProcStatSinceTheLastComputation(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\nintr 1 2 3\n");
        RuntimeStats.SystemCpu cpu = new RuntimeStats.SystemCpu(stat);
        assertEquals(0.2, cpu.usage(), 1e-9, "since boot: 200 busy of 1000, iowait counts as idle");
        Files.writeString(stat, "cpu  400 0 100 900 100 0 0 0 0 0\n");
        assertEquals(0.2, cpu.usage(), 1e-9, "within the window: the last value");
        Thread.sleep(RuntimeStats.USAGE_WINDOW_NANOS / 1_000_000 + 50);
        assertEquals(0.6, cpu.usage(), 1e-9, "300 busy of 500 since the last computation");
    }

    @Test
    void procStatParsing(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "cpu  12 3 45 6789 10 0 2 0 0 0\n");
        assertArrayEquals(new long[] {12, 3, 45, 6789, 10, 0, 2, 0, 0, 0}, RuntimeStats.SystemCpu.readCpuLine(stat));
        Files.writeString(stat, "intr 1 2\n");
        assertNull(RuntimeStats.SystemCpu.readCpuLine(stat));
        assertNull(RuntimeStats.SystemCpu.readCpuLine(dir.resolve("missing")));
    }

    @Test
    void residentBytesFromStatm(@TempDir Path dir) throws Exception {
        Path statm = dir.resolve("statm");
        Files.writeString(statm, "5000 2500 1000 10 0 3000 0\n");
        try (var s = new ProcessStats.Statm(statm.toString())) {
            assertEquals(2500 * 4096.0, s.residentBytes());
            Files.writeString(statm, "5000 2600 1000 10 0 3000 0\n");
            assertEquals(2600 * 4096.0, s.residentBytes(), "read again, not cached");
        }
        try (var s = new ProcessStats.Statm("/proc/self/statm")) {
            double rss = s.residentBytes();
            assertTrue(rss > 1 << 20, "this JVM's RSS: " + rss);
        }
    }
}
