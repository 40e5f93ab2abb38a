package dev.nodeagent.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build was made as (from Maven, filtered into {@code build.properties}); shared by the daemon and agentctl. */
public final class BuildInfo {

    private static final String VERSION = load();

    private BuildInfo() {
    }

    public static String version() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
