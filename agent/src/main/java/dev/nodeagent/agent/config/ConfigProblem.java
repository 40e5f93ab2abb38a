package dev.nodeagent.agent.config;

/**
 * One thing wrong with a config file. Printed as {@code file:line: key.path: message}; {@code line} is 0 when
 * unknown (e.g. a missing key).
 */
public record ConfigProblem(String file, int line, String path, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
