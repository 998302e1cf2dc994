package dev.gatewatch.account;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A site owner: the tenant every monitor, channel, incident and status page belongs to. */
@Entity
@Table(name = "owner")
public class Owner extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String email;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The TOTP shared secret (base32); set while being enrolled, in force once {@link #totpEnabledAt} is set. */
    @Column(name = "totp_secret")
    public String totpSecret;

    @Column(name = "totp_enabled_at")
    public Instant totpEnabledAt;

    /** The last TOTP time step a code was accepted for: a code works once. */
    @Column(name = "totp_last_step")
    public Long totpLastStep;

    public boolean secondFactor() {
        return totpEnabledAt != null && totpSecret != null;
    }

    public static Optional<Owner> findByEmail(String email) {
        return find("email", normalizeEmail(email)).firstResultOptional();
    }

    public static String normalizeEmail(String email) {
        return email == null ? "" : email.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
