package dev.nodeagent.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLStreamHandler;
import java.net.URLStreamHandlerFactory;
import org.junit.jupiter.api.Test;

/** Not installed here (one factory per JVM, and other tests in this JVM use http): the handlers themselves. */
class OfflineUrlHandlersTest {

    private static URLStreamHandlerFactory factory() throws ReflectiveOperationException {
        Constructor<OfflineUrlHandlers> c = OfflineUrlHandlers.class.getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
    }

    @SuppressWarnings("deprecation") // URL(URL, String, URLStreamHandler): the only way to pass a handler
    @Test
    void httpAndHttpsUrlsParseWithTheirDefaultPortsButNeverConnect() throws Exception {
        URLStreamHandlerFactory f = factory();
        URL http = new URL(null, "http://null.oracle.com/", f.createURLStreamHandler("http"));
        URL https = new URL(null, "https://example.org:8443/a?b", f.createURLStreamHandler("https"));
        assertEquals("null.oracle.com", http.getHost());
        assertEquals(80, http.getDefaultPort());
        assertEquals(443, https.getDefaultPort());
        assertEquals(8443, https.getPort());
        IOException e = assertThrows(IOException.class, http::openConnection);
        assertTrue(e.getMessage().contains("agentctl does not open http URLs"), e.getMessage());
        assertThrows(IOException.class, https::openStream);
    }

    @Test
    void everyOtherProtocolIsLeftToTheJdk() throws Exception {
        URLStreamHandlerFactory f = factory();
        for (String p : new String[] {"file", "jar", "jrt", "ftp", "mailto"}) {
            URLStreamHandler h = f.createURLStreamHandler(p);
            assertNull(h, p);
        }
    }
}
