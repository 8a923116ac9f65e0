package io.msgbridge.daemon;

import java.io.PrintWriter;
import java.util.List;

/** A table for people: columns as wide as their widest cell, the first row the header. */
final class Table {
    private Table() {
    }

    /**
     * Prints {@code rows}; the last column is not padded, and a row with one cell more than the header
     * prints that cell on a line of its own below it.
     */
    static void print(List<List<String>> rows, PrintWriter out) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns - 1];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 1));
            }
            out.println(line.append(row.get(widths.length)));
            if (row.size() > columns) {
                out.println(row.get(columns));
            }
        }
    }
}
