package dev.nodeagent.agent.reconcilers.pathprobe;

import dev.nodeagent.agent.host.CommandRunner;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Don't-fragment ICMP echo through iputils {@code ping -M do}: the JDK has no raw sockets and cannot set
 * {@code IP_MTU_DISCOVER} on a UDP socket, and an echo needs no listener on the peer (a UDP probe would need a
 * responder, or ICMP port-unreachable answers that firewalls commonly drop). {@code ping} sends from an ICMP
 * datagram socket or with its file capability, so the agent needs no {@code CAP_NET_RAW} of its own.
 *
 * <p>Each call sends {@code count} packets of exactly {@code size} bytes on the wire (IP header included), 200 ms
 * apart, and waits {@code wait} for each reply. The kernel's answer to a packet larger than the path allows is
 * either an ICMP "fragmentation needed (mtu = N)" from a router (or "local error: message too long, mtu=N" once
 * the kernel has learnt it) — then PMTU discovery works — or nothing at all: a black hole.
 */
public class Ping {

    /** One probe's result; {@code reportedMtu} is the MTU an ICMP error or the kernel named, if any. */
    public record Result(int sent, int received, Optional<Integer> reportedMtu, OptionalDouble avgRttMillis,
                         Optional<String> error) {

        public boolean replied() {
            return received > 0;
        }

        /** Lost share of the packets sent, 0..1 (1 when none was sent). */
        public double loss() {
            return sent == 0 ? 1.0 : (sent - received) / (double) sent;
        }
    }

    static final Pattern STATS = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");
    static final Pattern RTT = Pattern.compile("(?:rtt|round-trip) min/avg/max(?:/mdev)? = [0-9.]+/([0-9.]+)/");
    /** "Frag needed and DF set (mtu = 1200)", "local error: message too long, mtu=1200", "Packet too big: mtu=1280". */
    static final Pattern MTU = Pattern.compile("mtu ?= ?(\\d{2,6})");

    private final CommandRunner commands;

    public Ping(CommandRunner commands) {
        this.commands = commands;
    }

    /** The IP + ICMP header bytes that are not payload ({@code -s}): 28 for IPv4, 48 for IPv6. */
    public static int headerBytes(InetAddress address) {
        return address instanceof Inet6Address ? 48 : 28;
    }

    /** Sends {@code count} don't-fragment echoes of {@code size} bytes (IP packet size) to {@code address}. */
    public Result probe(InetAddress address, int size, int count, Duration wait) throws IOException, InterruptedException {
        int payload = size - headerBytes(address);
        List<String> argv = List.of("ping", "-n", "-c", Integer.toString(count), "-i", "0.2",
                "-W", Long.toString(Math.max(1, wait.toSeconds())), "-M", "do", "-s", Integer.toString(payload),
                address.getHostAddress());
        Duration limit = wait.multipliedBy(count).plusSeconds(3);
        CommandRunner.Result r;
        try {
            r = commands.run(argv, limit);
        } catch (IOException e) {
            throw new IOException("cannot run ping (iputils-ping installed?): " + e.getMessage(), e);
        }
        if (r.timedOut()) {
            return new Result(count, 0, Optional.empty(), OptionalDouble.empty(),
                    Optional.of("ping did not finish within " + limit.toSeconds() + "s"));
        }
        return parse(r.exitCode(), r.stdout() + "\n" + r.stderr(), count);
    }

    /** Reads iputils ping's output. Exit 0: replies; 1: no reply (or only ICMP errors); 2: another error. */
    static Result parse(int exit, String output, int count) {
        Matcher stats = STATS.matcher(output);
        int sent = count;
        int received = 0;
        if (stats.find()) {
            sent = Integer.parseInt(stats.group(1));
            received = Integer.parseInt(stats.group(2));
        }
        Matcher mtu = MTU.matcher(output);
        Optional<Integer> reported = mtu.find() ? Optional.of(Integer.parseInt(mtu.group(1))) : Optional.empty();
        Matcher rtt = RTT.matcher(output);
        OptionalDouble avg = rtt.find() ? OptionalDouble.of(Double.parseDouble(rtt.group(1))) : OptionalDouble.empty();
        Optional<String> error = Optional.empty();
        if (exit > 1 && reported.isEmpty()) {
            error = Optional.of(output.strip().lines().filter(l -> l.startsWith("ping:")).findFirst()
                    .orElse("ping exited " + exit).replaceFirst("^ping: ", ""));
        }
        return new Result(sent, received, reported, avg, error);
    }
}
