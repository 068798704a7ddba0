package dev.flagway.spring.boot.autoconfigure.it.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user as the new code maps it: the {@code email_normalized} column only. */
@Entity
@Table(name = "sb_jpa_users")
public class ModernUser {
    @Id
    private Long id;
    @Column(name = "email_normalized")
    private String emailNormalized;

    protected ModernUser() {
    }

    public Long getId() {
        return id;
    }

    public String getEmailNormalized() {
        return emailNormalized;
    }

    public void setEmailNormalized(String emailNormalized) {
        this.emailNormalized = emailNormalized;
    }
}
