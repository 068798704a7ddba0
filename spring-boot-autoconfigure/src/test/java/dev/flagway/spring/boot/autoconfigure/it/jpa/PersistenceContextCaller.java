package dev.flagway.spring.boot.autoconfigure.it.jpa;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Application code that keeps entities managed across a dual write and changes them afterwards. */
@Service
public class PersistenceContextCaller {
    private final LegacyUsers legacyUsers;
    private final ModernUsers modernUsers;
    private final JpaUsers users;

    PersistenceContextCaller(LegacyUsers legacyUsers, ModernUsers modernUsers, JpaUsers users) {
        this.legacyUsers = legacyUsers;
        this.modernUsers = modernUsers;
        this.users = users;
    }

    /**
     * Loads user {@code other}, changes {@code id}'s address, then renames {@code other} by changing the
     * managed entity only (Hibernate writes it at commit).
     */
    @Transactional
    public void updateThenChangeAnotherManagedUser(long id, String email, long other, String otherEmail) {
        LegacyUser managed = legacyUsers.findById(other).orElseThrow();
        users.updateEmail(id, email);
        managed.setEmail(otherEmail);
    }

    /**
     * Loads {@code id}'s modern entity first, changes the address, and returns what the managed entity
     * holds afterwards.
     */
    @Transactional
    public String updateWithTheModernEntityAlreadyManaged(long id, String email) {
        ModernUser managed = modernUsers.findById(id).orElseThrow();
        users.updateEmail(id, email);
        return managed.getEmailNormalized();
    }
}
