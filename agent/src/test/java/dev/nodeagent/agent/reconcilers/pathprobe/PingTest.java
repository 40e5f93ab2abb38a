package dev.nodeagent.agent.reconcilers.pathprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** iputils ping's output as captured from {@code ping -n -c 2 -i 0.2 -W 1 -M do -s N} (iputils 20221126). */
class PingTest {

    @Test
    void repliesGiveCountsAndTheAverageRtt() {
        Ping.Result r = Ping.parse(0, """
                PING 10.77.2.2 (10.77.2.2) 1172(1200) bytes of data.
                1180 bytes from 10.77.2.2: icmp_seq=1 ttl=63 time=0.395 ms
                1180 bytes from 10.77.2.2: icmp_seq=2 ttl=63 time=0.075 ms

                --- 10.77.2.2 ping statistics ---
                2 packets transmitted, 2 received, 0% packet loss, time 229ms
                rtt min/avg/max/mdev = 0.075/0.235/0.395/0.160 ms
                """, 2);
        assertEquals(new Ping.Result(2, 2, Optional.empty(), OptionalDouble.of(0.235), Optional.empty()), r);
        assertEquals(0.0, r.loss());
    }

    @Test
    void aRoutersFragmentationNeededNamesTheMtu() {
        Ping.Result r = Ping.parse(1, """
                PING 10.77.2.2 (10.77.2.2) 1252(1280) bytes of data.
                From 10.77.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1200)

                --- 10.77.2.2 ping statistics ---
                2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 208ms
                """, 2);
        assertEquals(Optional.of(1200), r.reportedMtu());
        assertEquals(0, r.received());
        assertEquals(Optional.empty(), r.error());
    }

    @Test
    void theKernelsCachedPmtuIsALocalErrorWithTheMtu() {
        Ping.Result r = Ping.parse(1, """
                PING 10.77.2.2 (10.77.2.2) 1252(1280) bytes of data.
                ping: local error: message too long, mtu=1200

                --- 10.77.2.2 ping statistics ---
                2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 202ms
                """, 2);
        assertEquals(Optional.of(1200), r.reportedMtu());
        assertEquals(1.0, r.loss());
    }

    @Test
    void silenceIsNoReplyNoMtuAndNoError() {
        Ping.Result r = Ping.parse(1, """
                PING 10.77.2.2 (10.77.2.2) 1252(1280) bytes of data.

                --- 10.77.2.2 ping statistics ---
                2 packets transmitted, 0 received, 100% packet loss, time 232ms
                """, 2);
        assertEquals(new Ping.Result(2, 0, Optional.empty(), OptionalDouble.empty(), Optional.empty()), r);
    }

    @Test
    void anIpv6PacketTooBigNamesTheMtu() {
        assertEquals(Optional.of(1280), Ping.parse(1, "From fd00::1 icmp_seq=1 Packet too big: mtu=1280\n"
                + "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n", 1).reportedMtu());
    }

    @Test
    void exit2WithoutAnMtuIsAnError() {
        Ping.Result r = Ping.parse(2, "ping: connect: Network is unreachable\n", 3);
        assertEquals(Optional.of("connect: Network is unreachable"), r.error());
        assertEquals(1.0, r.loss());
    }
}
