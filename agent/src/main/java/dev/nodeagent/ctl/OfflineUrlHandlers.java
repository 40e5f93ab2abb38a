package dev.nodeagent.ctl;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.net.URLStreamHandlerFactory;

/**
 * URL handlers for {@code http}/{@code https} that parse but never connect, installed by agentctl before anything
 * else. Why: the first use of any JCE class ({@code Cipher}, {@code KeyAgreement}: every decrypt and encrypt)
 * runs {@code javax.crypto.JceSecurity}'s static initialiser, which creates {@code new URL("http://null.oracle.com/")};
 * without a factory the JDK then looks for a {@code URLStreamHandlerProvider} on the class path, which opens every
 * one of the distribution's ~100 jars (≈100 ms of a 0.3 s command, measured with async-profiler). agentctl talks to
 * the daemon over a Unix socket and opens no URLs, so a handler that refuses to connect is enough; should a future
 * command try, it fails with a clear message instead of silently going through this class.
 */
final class OfflineUrlHandlers implements URLStreamHandlerFactory {

    private OfflineUrlHandlers() {
    }

    /** Installs the factory; a no-op when one is already set (in tests, or when embedded). */
    static void install() {
        try {
            URL.setURLStreamHandlerFactory(new OfflineUrlHandlers());
        } catch (Error alreadySet) {
            // URL allows one factory per JVM; another one is fine too
        }
    }

    @Override
    public URLStreamHandler createURLStreamHandler(String protocol) {
        return switch (protocol) {
            case "http" -> new Refusing(80);
            case "https" -> new Refusing(443);
            default -> null; // file, jar, jrt: the JDK's built-in handlers, no provider lookup for those
        };
    }

    private static final class Refusing extends URLStreamHandler {
        private final int port;

        Refusing(int port) {
            this.port = port;
        }

        @Override
        protected int getDefaultPort() {
            return port;
        }

        @Override
        protected URLConnection openConnection(URL u) throws IOException {
            throw new IOException("agentctl does not open " + u.getProtocol() + " URLs (" + u + ")");
        }
    }
}
