package org.smoothing4j.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Prints tables as aligned text, Markdown, LaTeX (booktabs) or CSV, with doubles rounded to 3 decimals. */
public final class TableFormats {
    private TableFormats() {}

    public enum Format {
        TEXT, MD, TEX, CSV;

        public static Format parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "text", "txt" -> TEXT;
                case "md", "markdown" -> MD;
                case "tex", "latex" -> TEX;
                case "csv" -> CSV;
                default -> throw new IllegalArgumentException("--format must be text, md, tex or csv, got '" + s + "'");
            };
        }
    }

    public static String format(Table t, Format f) {
        return switch (f) {
            case TEXT -> text(t);
            case MD -> markdown(t);
            case TEX -> latex(t);
            case CSV -> csv(t);
        };
    }

    /** A number without trailing zeros: 0.25, 1, 0.5. */
    static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String cell(Column<?> c, int row) {
        Object v = c.get(row);
        if (v instanceof Double d) {
            return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }

    private static List<List<String>> rows(Table t) {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < t.rowCount(); r++) {
            List<String> row = new ArrayList<>();
            for (Column<?> c : t.columns()) {
                row.add(cell(c, r));
            }
            rows.add(row);
        }
        return rows;
    }

    public static String text(Table t) {
        List<String> header = t.columnNames();
        List<List<String>> rows = rows(t);
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendAligned(sb, header, w);
        for (List<String> r : rows) {
            appendAligned(sb, r, w);
        }
        return sb.toString();
    }

    private static void appendAligned(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String fmt = i == 0 ? "%-" + w[i] + "s" : "  %" + w[i] + "s";
            sb.append(String.format(Locale.ROOT, fmt, cells.get(i)));
        }
        sb.append('\n');
    }

    public static String markdown(Table t) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", t.columnNames())).append(" |\n|");
        for (int i = 0; i < t.columnCount(); i++) {
            sb.append(i == 0 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<String> r : rows(t)) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return sb.toString();
    }

    public static String latex(Table t) {
        StringBuilder sb = new StringBuilder("\\begin{tabular}{l").append("r".repeat(t.columnCount() - 1))
                .append("}\n\\toprule\n");
        sb.append(String.join(" & ", t.columnNames().stream().map(TableFormats::texEscape).toList()))
                .append(" \\\\\n\\midrule\n");
        for (List<String> r : rows(t)) {
            sb.append(String.join(" & ", r.stream().map(TableFormats::texEscape).toList())).append(" \\\\\n");
        }
        return sb.append("\\bottomrule\n\\end{tabular}\n").toString();
    }

    /**
     * An HTML table (with its name as caption; numbers right-aligned), for notebooks: see
     * {@link org.smoothing4j.plot.Display#table}.
     */
    public static String html(Table t) {
        StringBuilder sb = new StringBuilder("<table style=\"border-collapse:collapse;font-family:monospace\">");
        if (t.name() != null && !t.name().isBlank()) {
            sb.append("<caption style=\"text-align:left\">").append(htmlEscape(t.name())).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (String name : t.columnNames()) {
            sb.append("<th style=\"border-bottom:1px solid #888;padding:2px 8px\">").append(htmlEscape(name))
                    .append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (List<String> r : rows(t)) {
            sb.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                sb.append("<td style=\"padding:2px 8px;text-align:").append(i == 0 ? "left" : "right").append("\">")
                        .append(htmlEscape(r.get(i))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String csv(Table t) {
        StringBuilder sb = new StringBuilder(String.join(",", t.columnNames())).append('\n');
        for (List<String> r : rows(t)) {
            sb.append(String.join(",", r.stream().map(TableFormats::csvQuote).toList())).append('\n');
        }
        return sb.toString();
    }

    private static String texEscape(String s) {
        return s.replace("\\", "\\textbackslash{}").replace("_", "\\_").replace("%", "\\%").replace("&", "\\&")
                .replace("#", "\\#");
    }

    private static String csvQuote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
