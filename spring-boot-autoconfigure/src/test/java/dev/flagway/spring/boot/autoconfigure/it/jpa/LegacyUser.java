package dev.flagway.spring.boot.autoconfigure.it.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user as the legacy code maps it: the {@code email} column only. */
@Entity
@Table(name = "sb_jpa_users")
public class LegacyUser {
    @Id
    private Long id;
    private String email;

    protected LegacyUser() {
    }

    public Long getId() {
        return id;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }
}
