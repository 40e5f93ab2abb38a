package dev.nodeagent.agent.systemd;

import dev.nodeagent.agent.engine.Scheduler;
import dev.nodeagent.agent.status.StatusStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent tells systemd: {@code READY=1} once the first round has finished (start it after HTTP and the
 * control socket are bound), {@code STATUS=} the one-line summary whenever it changes, {@code WATCHDOG=1} every
 * half watchdog period but only while {@link Scheduler#stalled} is empty — a wedged loop stops the pings and
 * systemd restarts the agent — and {@code STOPPING=1} on shutdown. Does nothing when NOTIFY_SOCKET is unset.
 */
public final class ServiceNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceNotifier.class);

    private final SdNotify notify;
    private final StatusStore status;
    private final Scheduler scheduler;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sd-notify").factory());
    private String lastStatus = "";
    private boolean withholding;
    private volatile boolean stopped;

    public ServiceNotifier(SdNotify notify, StatusStore status, Scheduler scheduler) {
        this.notify = notify;
        this.status = status;
        this.scheduler = scheduler;
    }

    public void start() {
        if (!notify.enabled()) {
            return;
        }
        timer.execute(this::awaitReady);
        status.addListener(s -> post(this::sendStatusIfChanged));
        notify.watchdogInterval().ifPresent(every -> {
            LOG.info("systemd watchdog: pinging every {} ms while the loops make progress", every.toMillis());
            timer.scheduleAtFixedRate(this::watchdog, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Waits for the first round off the timer thread, so the watchdog keeps ticking meanwhile. */
    private void awaitReady() {
        Thread.ofPlatform().daemon().name("sd-notify-ready").start(() -> {
            try {
                while (!stopped && !scheduler.awaitFirstRound(Duration.ofSeconds(1))) {
                    // keep waiting; a slow pass is bounded by its own timeout
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped) {
                post(() -> {
                    String summary = status.summary();
                    lastStatus = summary;
                    notify.send("READY=1\nSTATUS=" + summary);
                    LOG.info("told systemd READY ({})", summary);
                });
            }
        });
    }

    /** Runs {@code task} on the notifier's thread; called from loop threads, so it must never throw into them. */
    private void post(Runnable task) {
        if (stopped) {
            return;
        }
        try {
            timer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: nothing more to tell systemd
        }
    }

    private void sendStatusIfChanged() {
        String summary = status.summary();
        if (!summary.equals(lastStatus) && !stopped) {
            lastStatus = summary;
            notify.send("STATUS=" + summary);
        }
    }

    private void watchdog() {
        Optional<String> stalled = scheduler.stalled();
        if (stalled.isEmpty()) {
            if (withholding) {
                LOG.info("systemd watchdog: loops make progress again; pinging");
                withholding = false;
            }
            notify.send("WATCHDOG=1");
        } else if (!withholding) {
            withholding = true;
            LOG.error("systemd watchdog: withholding pings, {}; systemd will restart the agent", stalled.get());
            notify.send("STATUS=" + stalled.get());
        }
    }

    /** Sends STOPPING=1 and stops pinging. Safe to call more than once. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        timer.shutdownNow();
        if (notify.enabled()) {
            notify.send("STOPPING=1");
        }
    }
}
