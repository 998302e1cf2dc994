package dev.gatewatch.check.probe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import dev.gatewatch.check.CheckTask;

/**
 * Decodes a complete response's body and judges it against the monitor. Small plain bodies without patterns are
 * judged on the event loop; everything else runs on the probe's assertion workers, bounded by a {@link Deadline}.
 */
final class ResponseJudge {

    /** Up to this many raw bytes, with no pattern and no content encoding, judging costs microseconds. */
    static final int INLINE_BODY = 16 * 1024;

    /** @param prefix the start of the decoded body, kept with error responses and read for who generated them */
    record Judgement(List<String> failures, String prefix) {
    }

    private ResponseJudge() {
    }

    static boolean inline(CheckTask task, int rawBytes, String contentEncoding) {
        return rawBytes <= INLINE_BODY && contentEncoding == null
                && task.bodyAssertions().stream().noneMatch(a -> a.type().endsWith("regex"))
                && task.jsonAssertions().stream().noneMatch(a -> a.op().equals("matches"));
    }

    /** @param problems set when the response cannot be judged normally (then only decoded, for its prefix) */
    static Judgement judge(CheckTask task, int status, byte[] raw, String contentEncoding, String contentType, List<String> problems,
            int bodyLimit, int prefixLimit, Deadline deadline) {
        deadline.check(); // waited for a worker past its budget: do no work
        String body = decode(raw, contentEncoding, contentType, bodyLimit);
        List<String> failures = problems != null ? problems
                : Assertions.evaluate(status, task.expectedStatus(), body, task.bodyAssertions(), task.jsonAssertions(), deadline);
        return new Judgement(failures, body.length() > prefixLimit ? body.substring(0, prefixLimit) : body);
    }

    static String decode(byte[] raw, String encoding, String contentType, int limit) {
        Charset charset = charset(contentType);
        if (encoding == null || raw.length == 0) {
            return new String(raw, charset);
        }
        String e = encoding.toLowerCase(Locale.ROOT).strip();
        try (InputStream in = e.equals("gzip") || e.equals("x-gzip") ? new GZIPInputStream(new ByteArrayInputStream(raw))
                : e.equals("deflate") ? new InflaterInputStream(new ByteArrayInputStream(raw)) : null) {
            if (in == null) {
                return new String(raw, charset);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) > 0 && out.size() < limit) {
                    out.write(buffer, 0, n);
                }
            } catch (EOFException truncated) {
                // a body cut at the limit decodes as far as it goes
            }
            return out.toString(charset);
        } catch (IOException ex) {
            return new String(raw, charset);
        }
    }

    static Charset charset(String contentType) {
        if (contentType != null) {
            for (String part : contentType.split(";")) {
                String p = part.strip().toLowerCase(Locale.ROOT);
                if (p.startsWith("charset=")) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", ""));
                    } catch (RuntimeException e) {
                        break;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
