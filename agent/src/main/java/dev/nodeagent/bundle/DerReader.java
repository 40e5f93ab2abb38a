package dev.nodeagent.bundle;

/**
 * A window [pos, end) of DER, read one TLV at a time; anything it does not read plainly (multi-byte tags, indefinite
 * or non-minimal lengths, lengths past the window) gives null, so the callers hand the input to Bouncy Castle.
 */
final class DerReader {
    final byte[] der;
    int pos;
    final int end;

    DerReader(byte[] der, int pos, int end) {
        this.der = der;
        this.pos = pos;
        this.end = end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    /** Reads one TLV with tag {@code tag} (single-byte tags only); returns its contents, or null. */
    DerReader enter(int tag) {
        if (pos >= end || (der[pos] & 0xff) != tag || (tag & 0x1f) == 0x1f) {
            return null;
        }
        int p = pos + 1;
        if (p >= end) {
            return null;
        }
        int len = der[p++] & 0xff;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 3 || p + n > end) {
                return null; // indefinite or absurd length: not DER we read here
            }
            len = 0;
            for (int k = 0; k < n; k++) {
                len = (len << 8) | (der[p++] & 0xff);
            }
            if (len < 0x80) {
                return null; // not minimal: let Bouncy Castle judge it
            }
        }
        if (len > end - p) {
            return null;
        }
        DerReader r = new DerReader(der, p, p + len);
        pos = p + len;
        return r;
    }
}
