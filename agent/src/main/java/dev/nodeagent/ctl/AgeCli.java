package dev.nodeagent.ctl;

import dev.nodeagent.age.AgeException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code agentctl decrypt} and {@code encrypt} share: stdin/stdout handling and one-line errors. */
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
