package dev.gatewatch.support.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket HTTP/1.1 GET to an IP and port with any Host header (the JDK's HttpClient forbids setting Host),
 * reading until the server closes ({@code Connection: close}). Also reads raw bytes from a non-HTTP peer.
 */
public final class HttpProbe {

    private HttpProbe() {
    }

    /**
     * One response. {@code status} is -1 when the bytes did not start with an HTTP status line; {@code raw} is
     * everything received.
     */
    public record Response(int status, Map<String, String> headers, String body, byte[] raw) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** GET {@code path} from {@code ip:port} with {@code Host: host}, 10 s timeout. */
    public static Response get(String ip, int port, String host, String path) {
        return get(ip, port, host, path, Duration.ofSeconds(10));
    }

    public static Response get(String ip, int port, String host, String path, Duration timeout) {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: gatewatch-e2e\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        return parse(exchange(ip, port, request.getBytes(StandardCharsets.ISO_8859_1), timeout));
    }

    /** Connects, writes {@code request} (may be empty), reads until end of stream; the bytes received. */
    public static byte[] exchange(String ip, int port, byte[] request, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.loopback(ip), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            if (request.length > 0) {
                out.write(request);
                out.flush();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            return received.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP exchange with " + ip + ":" + port + " failed", e);
        }
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || headEnd < 0) {
            return new Response(-1, Map.of(), text, raw);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (RuntimeException e) {
            return new Response(-1, Map.of(), text, raw);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        // ISO-8859-1 keeps one char per byte, so chunk sizes count right; decoded as UTF-8 at the end.
        String body = text.substring(headEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        body = new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Response(status, Map.copyOf(headers), body, raw);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < body.length()) {
            int lineEnd = body.indexOf("\r\n", pos);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = body.substring(pos, lineEnd).split(";", 2)[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.append(body, start, Math.min(body.length(), start + size));
            pos = start + size + 2;
        }
        return out.toString();
    }
}
