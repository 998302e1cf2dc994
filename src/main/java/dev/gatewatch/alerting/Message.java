package dev.gatewatch.alerting;

/**
 * A rendered alert. Channels fill what they use: a JSON body (Slack, webhook), or subject, text and HTML (e-mail).
 */
public record Message(String subject, String text, String html, String json) {

    public static Message json(String subject, String json) {
        return new Message(subject, null, null, json);
    }
}
