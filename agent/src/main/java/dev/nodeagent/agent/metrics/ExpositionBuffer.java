package dev.nodeagent.agent.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with number formatting that allocates nothing in the common cases. */
final class ExpositionBuffer {

    private static final byte[] INF = "+Inf".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MINUS_INF = "-Inf".getBytes(StandardCharsets.US_ASCII);
    private static final long TWO_53 = 1L << 53;

    byte[] bytes;
    int size;

    ExpositionBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    void write(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    void newline() {
        ensure(1);
        bytes[size++] = '\n';
    }

    void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            writeAscii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            bytes[size++] = '-';
            v = -v;
        }
        int start = size;
        do {
            bytes[size++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        reverse(start, size - 1);
    }

    /**
     * {@link Double#toString} (and {@code +Inf}/{@code -Inf}), as the Prometheus writer writes numbers. Whole
     * numbers below 2^53 are formatted here without allocating: their shortest decimal is their digits
     * ({@code 123.0} below 10^7, {@code 4.4761088E7} from there); anything else goes through Double.toString.
     */
    void writeDouble(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            write(INF);
            return;
        }
        if (d == Double.NEGATIVE_INFINITY) {
            write(MINUS_INF);
            return;
        }
        long l = (long) d;
        if (l != d || l >= TWO_53 || l <= -TWO_53 || (l == 0 && Double.doubleToRawLongBits(d) != 0)) {
            writeAscii(Double.toString(d)); // fractions, NaN, -0.0, huge values
            return;
        }
        ensure(26);
        if (l < 0) {
            bytes[size++] = '-';
            l = -l;
        }
        if (l < 10_000_000) {
            writeLong(l);
            bytes[size++] = '.';
            bytes[size++] = '0';
            return;
        }
        // d.dddE<n>: the integer's digits without trailing zeros, at least one after the point
        int start = size;
        do {
            bytes[size++] = (byte) ('0' + l % 10);
            l /= 10;
        } while (l != 0);
        int digits = size - start;
        reverse(start, size - 1);
        int end = size;
        while (end - start > 2 && bytes[end - 1] == '0') {
            end--;
        }
        // shift the digits after the first one place right for the point
        System.arraycopy(bytes, start + 1, bytes, start + 2, end - start - 1);
        bytes[start + 1] = '.';
        size = end + 1;
        if (end - start == 2 && bytes[start + 2] == '0') {
            size = start + 3; // "d.0"
        }
        bytes[size++] = 'E';
        writeLong(digits - 1);
    }

    private void writeAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
    }

    private void reverse(int i, int j) {
        while (i < j) {
            byte t = bytes[i];
            bytes[i++] = bytes[j];
            bytes[j--] = t;
        }
    }
}
