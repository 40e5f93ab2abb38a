package dev.nodeagent.agent.reconcilers.tailnet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IP prefix such as {@code 100.64.0.0/10}, and the address probed to ask the kernel how the range is routed. */
public record Cidr(String text, InetAddress network, int prefix) {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** Empty when {@code text} is not {@code ADDRESS/PREFIX} with a literal address and a prefix that fits it. */
    public static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String addr = text.substring(0, slash);
        if (!IP_LITERAL.matcher(addr).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(addr); // a literal: no lookup
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > a.getAddress().length * 8) {
                return Optional.empty();
            }
            return Optional.of(new Cidr(text, mask(a, prefix), prefix));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The first address after the network address (the network itself for a host prefix). */
    public String probeAddress() {
        byte[] b = network.getAddress();
        if (prefix < b.length * 8) {
            for (int i = b.length - 1; i >= 0; i--) {
                if (++b[i] != 0) {
                    break;
                }
            }
        }
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress mask(InetAddress a, int prefix) throws UnknownHostException {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        return InetAddress.getByAddress(b);
    }
}
