package dev.gatewatch.alerting.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gatewatch.alerting.Alert;
import dev.gatewatch.alerting.AlertChannel;
import dev.gatewatch.alerting.ChannelConfig;
import dev.gatewatch.alerting.Digest;
import dev.gatewatch.alerting.Message;
import dev.gatewatch.alerting.Outcome;
import dev.gatewatch.api.Durations;
import dev.gatewatch.api.FieldError;
import dev.gatewatch.config.GatewatchConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * E-mail through Quarkus Mailer (SMTP server from {@code quarkus.mailer.*}): HTML and plain-text bodies from Qute
 * templates, subjects such as {@code [DOWN] shop.example.com — outage in 3/3 regions}. SMTP 5xx replies are permanent,
 * everything else (server down, 4xx) is retried. The whole SMTP conversation gets the notifier's send timeout (the
 * blocking {@code Mailer} would wait forever on a server that accepts and never answers); no answer in time is
 * unconfirmed, as the server may have taken the message.
 */
@ApplicationScoped
public class EmailChannel implements AlertChannel {

    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern SMTP_PERMANENT = Pattern.compile("\\b5\\d\\d[ -]");
    private static final int MAX_RECIPIENTS = 20;

    private final ReactiveMailer mailer;
    private final Duration timeout;
    private final Template html;
    private final Template text;

    private final Template digestHtml;
    private final Template digestText;

    public EmailChannel(ReactiveMailer mailer, GatewatchConfig config, @Location("alert/email.html") Template html,
                        @Location("alert/email.txt") Template text, @Location("alert/digest.html") Template digestHtml,
                        @Location("alert/digest.txt") Template digestText) {
        this.mailer = mailer;
        this.timeout = config.notifier().sendTimeout();
        this.html = html;
        this.text = text;
        this.digestHtml = digestHtml;
        this.digestText = digestText;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of();
    }

    @Override
    public List<FieldError> validate(ChannelConfig config) {
        List<FieldError> errors = new ArrayList<>();
        List<String> to = config.list("recipients");
        if (to.isEmpty() || to.size() > MAX_RECIPIENTS) {
            errors.add(new FieldError("settings.recipients", "must list 1 to " + MAX_RECIPIENTS + " e-mail addresses"));
        }
        for (String r : to) {
            if (r == null || !ADDRESS.matcher(r).matches()) {
                errors.add(new FieldError("settings.recipients", "'" + r + "' is not an e-mail address"));
            }
        }
        return errors;
    }

    @Override
    public Message build(Alert a, ChannelConfig config) {
        String subject = "[" + a.tag() + "] " + a.host() + " — " + a.headline();
        String duration = a.duration();
        return new Message(subject, text.data("a", a).data("duration", duration).render(),
                html.data("a", a).data("duration", duration).render(), null);
    }

    @Override
    public Message digest(Digest d, ChannelConfig config) {
        return new Message(d.subject(), digestText.data("d", d).render(), digestHtml.data("d", d).render(), null);
    }

    @Override
    public Outcome send(Message message, ChannelConfig config, String idempotencyKey) {
        List<String> to = config.list("recipients");
        Mail mail = Mail.withHtml(to.get(0), message.subject(), message.html()).setText(message.text())
                .addHeader("X-Gatewatch-Idempotency-Key", idempotencyKey);
        to.stream().skip(1).forEach(mail::addTo);
        try {
            mailer.send(mail).await().atMost(timeout);
            return Outcome.delivered("accepted by the SMTP server for " + String.join(", ", to));
        } catch (io.smallrye.mutiny.TimeoutException e) {
            return Outcome.unconfirmed("no answer from the SMTP server within " + Durations.words(timeout));
        } catch (RuntimeException e) {
            String why = rootMessage(e);
            Matcher m = SMTP_PERMANENT.matcher(why);
            return m.find() ? Outcome.permanent(why) : Outcome.retry(why, null);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
