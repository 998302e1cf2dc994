package dev.gatewatch.check.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response from the bytes of a connection, as they arrive. Our own reader rather than an HTTP
 * client's, so that every byte is timed and anything that is not HTTP is reported as such instead of being repaired.
 */
final class HttpResponseReader {

    enum State { HEAD, BODY_LENGTH, BODY_UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE, FAILED }

    static final int HEAD_LIMIT = 64 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: (.*))?");
    // compiled once: String.matches and split compile their pattern on every call, once per header line of every check
    private static final Pattern LINE_BREAK = Pattern.compile("\r?\n");
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,18}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,15}");

    private final boolean headRequest;
    private final int bodyLimit;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private State state = State.HEAD;
    private int status;
    private Map<String, List<String>> headers = Map.of();
    private long remaining;
    private long bodyBytes;
    private long received;
    private int tail;
    private boolean tooLarge;
    private String failure;

    HttpResponseReader(boolean headRequest, int bodyLimit) {
        this.headRequest = headRequest;
        this.bodyLimit = bodyLimit;
    }

    /** Takes the next bytes from the connection; true once the response is complete or broken. */
    boolean feed(byte[] data) {
        received += data.length;
        int i = 0;
        while (i < data.length && !finished()) {
            i = switch (state) {
                case HEAD -> head(data, i);
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, data.length - i);
                    append(data, i, n);
                    remaining -= n;
                    if (remaining == 0 && !finished()) {
                        state = State.DONE;
                    }
                    yield i + n;
                }
                case BODY_UNTIL_CLOSE -> {
                    append(data, i, data.length - i);
                    yield data.length;
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, data.length - i);
                    append(data, i, n);
                    remaining -= n;
                    if (remaining == 0 && !finished()) {
                        state = State.CHUNK_END;
                    }
                    yield i + n;
                }
                case CHUNK_SIZE, CHUNK_END, TRAILERS -> chunkLine(data, i);
                default -> data.length;
            };
        }
        return finished();
    }

    /** The peer closed the connection: ends a body that runs until close, otherwise the response is incomplete. */
    void closed() {
        switch (state) {
            case BODY_UNTIL_CLOSE -> state = State.DONE;
            case HEAD -> fail(received == 0 ? null : "the response head was cut off after " + received + " bytes");
            case BODY_LENGTH -> fail("the body ended " + remaining + " bytes short of its Content-Length");
            case CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS -> fail("the chunked body ended before its last chunk");
            default -> {
            }
        }
    }

    boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }

    /** Why the bytes are not a valid HTTP response; null if they are, or if the peer closed before sending any. */
    String failure() {
        return failure;
    }

    boolean failed() {
        return state == State.FAILED;
    }

    /** Whether reading stopped because the body passed the limit. */
    boolean tooLarge() {
        return tooLarge;
    }

    boolean headComplete() {
        return status != 0;
    }

    int status() {
        return status;
    }

    /** Header values by lower-case name, in the order received. */
    Map<String, List<String>> headers() {
        return headers;
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as received (still content-encoded), at most the limit. */
    byte[] body() {
        return body.toByteArray();
    }

    long bodyBytes() {
        return bodyBytes;
    }

    private int head(byte[] data, int from) {
        int i = from;
        while (i < data.length) {
            byte b = data[i++];
            head.write(b);
            tail = (tail << 8) | (b & 0xff);
            int size = head.size();
            if (size == 5 && !head.toString(StandardCharsets.ISO_8859_1).equals("HTTP/")) {
                fail("the server sent bytes that are not HTTP: " + printable(head.toByteArray()));
                return data.length;
            }
            if ((tail & 0xffff) == 0x0a0a || tail == 0x0d0a0d0a) {
                parseHead();
                return i;
            }
            if (size > HEAD_LIMIT) {
                fail("the response head is larger than " + HEAD_LIMIT + " bytes");
                return data.length;
            }
        }
        return i;
    }

    private void parseHead() {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        head.reset();
        tail = 0;
        String[] lines = LINE_BREAK.split(text);
        Matcher m = STATUS_LINE.matcher(lines[0]);
        if (!m.matches()) {
            fail("the status line is not HTTP/1.x: " + printable(lines[0].getBytes(StandardCharsets.ISO_8859_1)));
            return;
        }
        int code = Integer.parseInt(m.group(1));
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        String last = null;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) {
                continue;
            }
            if ((l.charAt(0) == ' ' || l.charAt(0) == '\t') && last != null) {
                List<String> values = parsed.get(last);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + l.strip());
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || !FIELD_NAME.matcher(l).region(0, colon).matches()) {
                fail("a header line is malformed: " + printable(l.getBytes(StandardCharsets.ISO_8859_1)));
                return;
            }
            last = l.substring(0, colon).toLowerCase(Locale.ROOT);
            parsed.computeIfAbsent(last, k -> new ArrayList<>()).add(l.substring(colon + 1).strip());
        }
        if (code < 200 && code != 101) {
            return; // interim response (100 Continue, 103 Early Hints): the real one follows
        }
        status = code;
        headers = parsed;
        String transferEncoding = header("transfer-encoding");
        List<String> lengths = parsed.getOrDefault("content-length", List.of());
        if (headRequest || code == 204 || code == 304 || code == 101) {
            state = State.DONE;
        } else if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            state = State.CHUNK_SIZE;
        } else if (!lengths.isEmpty()) {
            if (lengths.stream().distinct().count() > 1 || !DECIMAL.matcher(lengths.get(0)).matches()) {
                fail("the Content-Length header is invalid: " + String.join(", ", lengths));
                return;
            }
            remaining = Long.parseLong(lengths.get(0));
            state = remaining == 0 ? State.DONE : State.BODY_LENGTH;
        } else {
            state = State.BODY_UNTIL_CLOSE;
        }
    }

    private int chunkLine(byte[] data, int from) {
        int i = from;
        while (i < data.length) {
            byte b = data[i++];
            if (b != '\n') {
                line.write(b);
                if (line.size() > 8192) {
                    fail("a chunk line is longer than 8 KiB");
                    return data.length;
                }
                continue;
            }
            String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            line.reset();
            switch (state) {
                case CHUNK_END -> {
                    if (!l.isEmpty()) {
                        fail("a chunk is longer than its announced size");
                        return data.length;
                    }
                    state = State.CHUNK_SIZE;
                }
                case CHUNK_SIZE -> {
                    String size = l.contains(";") ? l.substring(0, l.indexOf(';')).strip() : l.strip();
                    if (!HEX.matcher(size).matches()) {
                        fail("a chunk size is not hexadecimal: " + printable(l.getBytes(StandardCharsets.ISO_8859_1)));
                        return data.length;
                    }
                    remaining = Long.parseLong(size, 16);
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case TRAILERS -> {
                    if (l.isEmpty()) {
                        state = State.DONE;
                    }
                }
                default -> {
                }
            }
            return i;
        }
        return i;
    }

    private void append(byte[] data, int offset, int length) {
        bodyBytes += length;
        int room = bodyLimit - body.size();
        body.write(data, offset, Math.max(0, Math.min(room, length)));
        if (bodyBytes > bodyLimit) {
            tooLarge = true;
            state = State.DONE;
        }
    }

    private void fail(String why) {
        failure = why;
        state = State.FAILED;
    }

    /** Up to 60 bytes, non-printable ones escaped, for an error message that shows what was received. */
    static String printable(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < Math.min(bytes.length, 60); i++) {
            int c = bytes[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.append(bytes.length > 60 ? "\"…" : "\"").toString();
    }
}
