package dev.nodeagent.agent.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Host name → addresses, asked on every pass (the JVM caches positive answers for 30 s). IP literals need no lookup. */
@FunctionalInterface
public interface Resolver {

    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
