package dev.gatewatch.dashboard.status;

/**
 * A flat two-part SVG badge ("uptime 30d | 99.95%"), drawn the way README badges usually look. Text widths are
 * estimated per character (Verdana 11 px), which is close enough for short labels and needs no font metrics.
 */
public record Badge(String label, String value, Colour colour) {

    public enum Colour {
        OK("#2e7d32"), WARN("#b26a00"), BAD("#c62828"), NONE("#6e7781");

        private final String hex;

        Colour(String hex) {
            this.hex = hex;
        }

        public static Colour ofBand(String band) {
            return switch (band) {
                case "ok" -> OK;
                case "warn" -> WARN;
                case "bad" -> BAD;
                default -> NONE;
            };
        }
    }

    public String svg() {
        int lw = width(label);
        int vw = width(value);
        int w = lw + vw;
        String l = escape(label);
        String v = escape(value);
        return """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">\
                <title>%s: %s</title>\
                <linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\
                <clipPath id="r"><rect width="%d" height="20" rx="3" fill="#fff"/></clipPath>\
                <g clip-path="url(#r)"><rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>\
                <rect width="%d" height="20" fill="url(#s)"/></g>\
                <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
                <text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text>\
                <text x="%d" y="15" fill="#010101" fill-opacity=".3">%s</text><text x="%d" y="14">%s</text></g></svg>"""
                .formatted(w, l, v, l, v, w, lw, lw, vw, colour.hex, w, lw / 2, l, lw / 2, l, lw + vw / 2, v, lw + vw / 2, v);
    }

    static int width(String text) {
        double px = 0;
        for (char c : text.toCharArray()) {
            px += "il.:|!'".indexOf(c) >= 0 ? 3.5 : c == ' ' ? 3.7 : Character.isUpperCase(c) || c == 'm' || c == 'w' || c == '%' ? 9.5 : 7;
        }
        return (int) Math.round(px) + 12;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
