package io.dialerbridge.ops;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page's HTML, rendered on the server from {@link DaemonStatus#snapshot()}: plain tables, an
 * SVG chart of the throughput, no script; the browser reloads it every 5 seconds. Every value is
 * escaped.
 */
final class StatusPage {

    private StatusPage() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> status) {
        Map<String, Object> daemon = (Map<String, Object>) status.get("daemon");
        StringBuilder page = new StringBuilder(8192);
        page.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
                <title>dialer-bridge status</title>
                <style>
                body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
                table{border-collapse:collapse;margin:.5em 0 1.5em}
                th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
                td.n{text-align:right}
                .up{color:#176317;font-weight:bold}.down{color:#b00020;font-weight:bold}
                .muted{color:#777}
                </style></head><body>
                <h1>dialer-bridge</h1>
                """);
        page.append("<p class=\"muted\">as of <span id=\"time\">").append(text(status.get("time")))
                .append("</span>; this page reloads every 5 seconds; the same data as JSON: ")
                .append("<a href=\"/observe/status.json\">/observe/status.json</a></p>\n");

        page.append("<h2>This daemon</h2>\n<table id=\"daemon\">\n");
        Map<String, Object> lease = (Map<String, Object>) daemon.get("inboxLease");
        String leaseText = !(Boolean) lease.get("shared") ? "not shared (this daemon alone consumes the inbox)"
                : (Boolean) lease.get("active") ? "held by this daemon since " + lease.get("activeSince")
                : "held by another daemon (this one stands by)";
        row(page, "inbox lease", text(leaseText) + " <span class=\"muted\">take-overs: " + text(lease.get("takeOvers")) + "</span>");
        for (Map<String, Object> dialer : (List<Map<String, Object>>) daemon.get("dialers")) {
            boolean reachable = (Boolean) dialer.get("reachable");
            String state = reachable ? "<span class=\"up\">answers</span>"
                    : "<span class=\"down\">cannot be reached</span> since " + text(dialer.get("since")) + " (" + text(dialer.get("cause")) + ")";
            row(page, "dialer " + text(dialer.get("name")), text(dialer.get("address")) + ": " + state);
        }
        row(page, "credentials", (Boolean) daemon.get("credentialsRefused")
                ? "<span class=\"down\">refused by the dialer: sending is paused</span>" : "<span class=\"up\">accepted</span>");
        row(page, "Kafka", text(daemon.get("kafka")));
        page.append("</table>\n");

        page.append("<h2>Per project and operation</h2>\n<p class=\"muted\">elements since this daemon started</p>\n");
        page.append("<table id=\"operations\"><tr><th>project</th><th>operation</th><th>files waiting</th><th>in progress</th>"
                + "<th>accepted</th><th>dead-lettered</th><th>ignored</th><th>retries</th></tr>\n");
        for (Map<String, Object> row : (List<Map<String, Object>>) status.get("operations")) {
            page.append("<tr><td>").append(text(row.get("project"))).append("</td><td>").append(text(row.get("operation")))
                    .append("</td>");
            for (String key : List.of("filesWaiting", "inProgress", "accepted", "deadLettered", "ignored", "retries")) {
                page.append("<td class=\"n\">").append(text(row.get(key))).append("</td>");
            }
            page.append("</tr>\n");
        }
        page.append("</table>\n");

        page.append("<h2>In progress</h2>\n");
        List<Map<String, Object>> inProgress = (List<Map<String, Object>>) status.get("inProgress");
        if (inProgress.isEmpty()) {
            page.append("<p id=\"in-progress\" class=\"muted\">nothing</p>\n");
        } else {
            page.append("<table id=\"in-progress\"><tr><th>file or topic</th><th>project</th><th>operation</th><th>accepted</th>"
                    + "<th>dead-lettered</th><th>ignored</th><th>elements/s</th><th>since</th></tr>\n");
            for (Map<String, Object> source : inProgress) {
                page.append("<tr><td>").append(text(source.get("source"))).append("</td><td>").append(text(source.get("project")))
                        .append("</td><td>").append(text(source.get("operation"))).append("</td><td class=\"n\">")
                        .append(text(source.get("accepted"))).append("</td><td class=\"n\">").append(text(source.get("deadLettered")))
                        .append("</td><td class=\"n\">").append(text(source.get("ignored")))
                        .append("</td><td class=\"n\">").append(text(source.get("perSecond"))).append("</td><td>")
                        .append(text(source.get("startedAt"))).append("</td></tr>\n");
            }
            page.append("</table>\n");
        }

        page.append("<h2>Waiting in the inbox</h2>\n");
        List<Map<String, Object>> waiting = (List<Map<String, Object>>) status.get("waiting");
        if (waiting.isEmpty()) {
            page.append("<p id=\"waiting\" class=\"muted\">nothing</p>\n");
        } else {
            page.append("<table id=\"waiting\"><tr><th>file</th><th>since</th></tr>\n");
            for (Map<String, Object> file : waiting) {
                page.append("<tr><td>").append(text(file.get("file"))).append("</td><td>").append(text(file.get("since")))
                        .append("</td></tr>\n");
            }
            page.append("</table>\n");
        }

        page.append("<h2>Finished lately</h2>\n");
        List<Map<String, Object>> recent = (List<Map<String, Object>>) status.get("recent");
        if (recent.isEmpty()) {
            page.append("<p id=\"recent\" class=\"muted\">nothing yet</p>\n");
        } else {
            page.append("<table id=\"recent\"><tr><th>file</th><th>outcome</th><th>finished</th><th>elements</th><th>accepted</th>"
                    + "<th>dead-lettered</th><th>report or reason</th></tr>\n");
            for (Map<String, Object> file : recent) {
                boolean done = "done".equals(file.get("outcome"));
                page.append("<tr><td>").append(text(file.get("file"))).append("</td><td class=\"").append(done ? "up" : "down")
                        .append("\">").append(text(file.get("outcome"))).append("</td><td>").append(text(file.get("finished")))
                        .append("</td><td class=\"n\">").append(text(file.get("elements"))).append("</td><td class=\"n\">")
                        .append(text(file.get("accepted"))).append("</td><td class=\"n\">").append(text(file.get("deadLettered")))
                        .append("</td><td>").append(done ? "<a href=\"/observe/status/report?file=" + query(file.get("file")) + "\">"
                                + text(file.get("report")) + "</a>" : text(file.get("reason"))).append("</td></tr>\n");
            }
            page.append("</table>\n");
        }

        page.append("<h2>Dead letters by error</h2>\n");
        Map<String, Object> byError = (Map<String, Object>) status.get("deadLetteredByError");
        if (byError.isEmpty()) {
            page.append("<p id=\"dead-letters\" class=\"muted\">none since this daemon started</p>\n");
        } else {
            page.append("<table id=\"dead-letters\"><tr><th>error</th><th>elements</th></tr>\n");
            byError.forEach((error, count) -> page.append("<tr><td>").append(text(error)).append("</td><td class=\"n\">")
                    .append(text(count)).append("</td></tr>\n"));
            page.append("</table>\n");
        }

        Map<String, Object> throughput = (Map<String, Object>) status.get("throughputPerSecond");
        page.append("<h2>Throughput, last ten minutes</h2>\n").append(chart((List<Double>) throughput.get("rates"),
                ((Number) throughput.get("slotSeconds")).intValue()));
        page.append("</body></html>\n");
        return page.toString();
    }

    /** Bars of elements accounted for per second, one per slot, oldest on the left. */
    private static String chart(List<Double> rates, int slotSeconds) {
        double max = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        int width = 600;
        int height = 120;
        double bar = (double) width / rates.size();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg id=\"throughput\" width=\"").append(width).append("\" height=\"").append(height + 20)
                .append("\" role=\"img\" aria-label=\"elements per second, ").append(slotSeconds)
                .append("-second slots\" style=\"border:1px solid #ccc\">\n");
        for (int i = 0; i < rates.size(); i++) {
            double h = max == 0 ? 0 : rates.get(i) / max * height;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea5\">"
                    + "<title>%.1f/s</title></rect>%n", i * bar, height - h, Math.max(bar - 1, 1), h, rates.get(i)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"12\">peak %.1f elements/s; %d-second slots,"
                + " now on the right</text>%n", height + 15, max, slotSeconds));
        return svg.append("</svg>\n").toString();
    }

    private static void row(StringBuilder page, String name, String valueHtml) {
        page.append("<tr><th>").append(name).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    /** A value as a query parameter's value, in an HTML attribute. */
    private static String query(Object value) {
        return text(java.net.URLEncoder.encode(String.valueOf(value), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A value as HTML text. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        StringBuilder escaped = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
