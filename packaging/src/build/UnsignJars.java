import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites signed jars in a distribution's lib/ without their signature files and without the per-entry
 * sections of their manifest (the digests), keeping every other entry, its time and its order.
 *   java UnsignJars.java JAR...      (unsigned jars are left untouched)
 *
 * Why: Bouncy Castle's jars are signed. The JVM then (1) checks the signature and a SHA-256 digest of every class
 * it loads from them, (2) keeps their ~7,700 manifest sections parsed on the heap (≈7,000 Attributes maps, a few
 * MiB of an idle daemon's live heap), and (3) excludes their classes from the CDS/AOT cache, so they are parsed
 * and verified at every start. OpenJDK does not require JCE providers to be signed. The license files stay.
 */
public final class UnsignJars {

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            Path jar = Path.of(arg);
            if (unsign(jar)) {
                System.out.println("unsign-jars: " + jar.getFileName() + ": signature and entry digests removed");
            }
        }
    }

    static boolean unsign(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".unsigned.tmp");
        FileTime mtime = Files.getLastModifiedTime(jar);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry mf = zip.getEntry(JarFile.MANIFEST_NAME);
            Manifest manifest = mf == null ? null : read(zip, mf);
            boolean signed = zip.stream().anyMatch(e -> isSignatureFile(e.getName()));
            if (!signed && (manifest == null || manifest.getEntries().isEmpty())) {
                return false;
            }
            try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    if (isSignatureFile(e.getName())) {
                        continue;
                    }
                    ZipEntry copy = new ZipEntry(e.getName());
                    copy.setTime(e.getTime());
                    out.putNextEntry(copy);
                    if (e.getName().equals(JarFile.MANIFEST_NAME)) {
                        Manifest main = new Manifest();
                        main.getMainAttributes().putAll((Attributes) manifest.getMainAttributes().clone());
                        main.write(out);
                    } else {
                        try (InputStream in = zip.getInputStream(e)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, mtime);
        return true;
    }

    private static Manifest read(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return new Manifest(new java.io.ByteArrayInputStream(buf.toByteArray()));
        }
    }

    private static boolean isSignatureFile(String name) {
        if (!name.startsWith("META-INF/") || name.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC")
                || name.startsWith("META-INF/SIG-");
    }
}
