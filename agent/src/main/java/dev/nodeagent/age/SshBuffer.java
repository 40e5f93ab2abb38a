package dev.nodeagent.age;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reader for SSH wire encoding (RFC 4251 uint32 / string / mpint); throws {@link IllegalArgumentException} on truncation. */
final class SshBuffer {

    private final byte[] data;
    private int pos;

    SshBuffer(byte[] data) {
        this.data = data;
    }

    int uint32() {
        need(4);
        int v = ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    byte[] string() {
        int n = uint32();
        if (n < 0) {
            throw new IllegalArgumentException("negative length");
        }
        need(n);
        byte[] s = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return s;
    }

    String text() {
        return new String(string(), StandardCharsets.US_ASCII);
    }

    BigInteger mpint() {
        byte[] b = string();
        return b.length == 0 ? BigInteger.ZERO : new BigInteger(b);
    }

    byte[] bytes(int n) {
        need(n);
        byte[] s = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return s;
    }

    boolean atEnd() {
        return pos == data.length;
    }

    private void need(int n) {
        if (n > data.length - pos) {
            throw new IllegalArgumentException("truncated SSH data");
        }
    }
}
