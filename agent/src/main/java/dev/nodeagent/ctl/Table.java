package dev.nodeagent.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A plain-text table like kubectl's: upper-case headers, columns padded to the widest cell, two spaces apart,
 * the last column unpadded. Colour is applied after padding so escape codes never skew the alignment.
 */
final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<UnaryOperator<String>> colours = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
        for (int i = 0; i < headers.length; i++) {
            colours.add(UnaryOperator.identity());
        }
    }

    /** Colours cells of {@code column} (not the header) with {@code paint}, given the plain cell text. */
    Table colour(int column, UnaryOperator<String> paint) {
        colours.set(column, paint);
        return this;
    }

    Table row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        int n = headers.size();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width, false);
        rows.forEach(r -> line(sb, r, width, true));
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width, boolean paint) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String shown = paint ? colours.get(i).apply(cell) : cell;
            l.append(shown);
            if (i < cells.size() - 1) {
                l.append(" ".repeat(width[i] - cell.length() + 2));
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
