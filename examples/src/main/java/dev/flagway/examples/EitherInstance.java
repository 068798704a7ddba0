package dev.flagway.examples;

import java.util.concurrent.ThreadLocalRandom;

/** A load balancer in front of two application instances: each request goes to one of them at random. */
final class EitherInstance implements UserRepository {
    private final UserRepository a;
    private final UserRepository b;

    EitherInstance(UserRepository a, UserRepository b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public String email(long id) {
        return pick().email(id);
    }

    @Override
    public void updateEmail(long id, String email) {
        pick().updateEmail(id, email);
    }

    @Override
    public void create(long id, String email) {
        pick().create(id, email);
    }

    private UserRepository pick() {
        return ThreadLocalRandom.current().nextBoolean() ? a : b;
    }
}
