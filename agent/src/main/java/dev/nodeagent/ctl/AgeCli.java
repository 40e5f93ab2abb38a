package dev.nodeagent.ctl;

import dev.nodeagent.age.AgeException;
import dev.nodeagent.age.AgeFiles;
import dev.nodeagent.age.AgeIdentity;
import dev.nodeagent.age.AgeRecipient;
import dev.nodeagent.age.Identities;
import dev.nodeagent.age.Recipients;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code agentctl decrypt} and {@code encrypt} once their options are known (no picocli: {@link FastPath} calls
 * these directly, the picocli commands delegate), plus what they share: stdin/stdout handling, one-line errors.
 */
final class AgeCli {

    private AgeCli() {
    }

    interface Action {
        void run() throws AgeException, IOException;
    }

    /** Runs {@code action}; any failure becomes one line on stderr and exit code 1, never a stack trace. */
    static int run(String command, PrintWriter err, Action action) {
        try {
            action.run();
            return AgentCtl.OK;
        } catch (AgeException e) {
            err.println("agentctl " + command + ": " + e.getMessage());
        } catch (IOException e) {
            err.println("agentctl " + command + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            err.println("agentctl " + command + ": internal error (" + e.getClass().getName() + ")");
        }
        err.flush();
        return AgentCtl.FAILED;
    }

    /** {@code agentctl decrypt}: see {@link DecryptCommand}. */
    static int decrypt(List<Path> identityFiles, Path output, Path input, PrintWriter err) {
        return run("decrypt", err, () -> {
            List<AgeIdentity> ids = new ArrayList<>();
            for (Path f : identityFiles) {
                ids.addAll(Identities.load(f, w -> {
                    err.println("agentctl decrypt: warning: " + w);
                    err.flush();
                }));
            }
            // A regular file is read with positional reads and its chunks decrypted in parallel.
            try (FileChannel file = regularFile(input)) {
                if (file != null) {
                    emit(output, p -> AgeFiles.decrypt(file, p, ids), o -> AgeFiles.decrypt(file, o, ids));
                    return;
                }
            }
            try (InputStream in = open(input)) {
                emit(output, p -> AgeFiles.decrypt(in, p, ids), o -> AgeFiles.decrypt(in, o, ids));
            }
        });
    }

    /** {@code agentctl encrypt}: see {@link EncryptCommand}; at least one recipient or recipients file. */
    static int encrypt(List<String> recipients, List<Path> recipientFiles, boolean armor, Path output, Path input,
                       PrintWriter err) {
        return run("encrypt", err, () -> {
            List<AgeRecipient> to = new ArrayList<>();
            for (String r : recipients) {
                to.add(Recipients.parse(r));
            }
            for (Path f : recipientFiles) {
                to.addAll(Recipients.load(f));
            }
            try (InputStream in = open(input)) {
                emit(output, p -> AgeFiles.encrypt(in, p, to, armor), o -> AgeFiles.encrypt(in, o, to, armor));
            }
        });
    }

    private interface Writer<T> {
        void write(T target) throws AgeException, IOException;
    }

    /** To {@code output} when given (the AgeFiles path variants write it atomically), else to stdout, flushed. */
    private static void emit(Path output, Writer<Path> toFile, Writer<OutputStream> toStdout)
            throws AgeException, IOException {
        if (output != null) {
            toFile.write(output);
        } else {
            OutputStream out = stdout();
            toStdout.write(out);
            out.flush();
        }
    }

    /** INPUT open as a channel when it is a regular file; {@code null} for stdin, pipes, devices, or any error. */
    private static FileChannel regularFile(Path input) {
        if (input == null || input.toString().equals("-") || !Files.isRegularFile(input)) {
            return null;
        }
        try {
            return FileChannel.open(input);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // open() below reports it in the usual words
        }
    }

    /** INPUT, or stdin when absent or {@code -}. */
    static InputStream open(Path input) throws AgeException {
        if (input == null || input.toString().equals("-")) {
            return new FileInputStream(FileDescriptor.in);
        }
        try {
            return Files.newInputStream(input);
        } catch (IOException e) {
            throw new AgeException(AgeException.Kind.IO, "cannot read " + input + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()), e);
        }
    }

    /** The raw stdout file descriptor (no PrintStream locking or charset layer in the data path). */
    static OutputStream stdout() {
        return new FileOutputStream(FileDescriptor.out);
    }
}
