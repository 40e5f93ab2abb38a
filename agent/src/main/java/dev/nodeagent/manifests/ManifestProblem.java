package dev.nodeagent.manifests;

/** A document that cannot be applied, located by file and document number (from 1; 0 = the whole file). */
public record ManifestProblem(String file, int document, String message) {

    @Override
    public String toString() {
        return file + (document > 0 ? ": document " + document : "") + ": " + message;
    }
}
