package dev.gatewatch.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A URL an owner wants watched, with how to judge it and from where. */
@Entity
@Table(name = "monitor")
public class Monitor extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id", nullable = false)
    public Long ownerId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String url;

    @Column(nullable = false)
    public String method;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_headers", nullable = false)
    public Map<String, String> requestHeaders;

    @Column(name = "request_body")
    public String requestBody;

    @Column(name = "expected_status", nullable = false)
    public String expectedStatus;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "body_assertions", nullable = false)
    public List<BodyAssertion> bodyAssertions;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "json_assertions", nullable = false)
    public List<JsonAssertion> jsonAssertions;

    @Column(name = "max_response_time_ms")
    public Integer maxResponseTimeMs;

    @Column(name = "min_tls_validity_days")
    public Integer minTlsValidityDays;

    @Column(name = "interval_seconds", nullable = false)
    public int intervalSeconds;

    @Column(name = "timeout_ms", nullable = false)
    public int timeoutMs;

    @Column(name = "follow_redirects", nullable = false)
    public boolean followRedirects;

    @Column(name = "max_redirects", nullable = false)
    public int maxRedirects;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> regions;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> resolvers;

    @Column(name = "confirmation_window_seconds", nullable = false)
    public int confirmationWindowSeconds;

    @Column(name = "success_threshold", nullable = false)
    public int successThreshold;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "channel_ids", nullable = false)
    public List<Long> channelIds;

    @Column(name = "reminder_minutes")
    public Integer reminderMinutes;

    @Column(name = "quick_confirmation", nullable = false)
    public boolean quickConfirmation = true;

    @Column(nullable = false)
    public boolean paused;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
