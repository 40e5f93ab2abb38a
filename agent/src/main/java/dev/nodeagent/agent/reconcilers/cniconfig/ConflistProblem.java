package dev.nodeagent.agent.reconcilers.cniconfig;

/**
 * One thing wrong with a conflist: the file (host path), the JSON field ({@code plugins[0].mtu}; {@code $} for
 * the document itself) and what is wrong, in one sentence with the fix where there is one.
 */
public record ConflistProblem(String file, String field, String message) {

    @Override
    public String toString() {
        return file + ": " + field + ": " + message;
    }
}
