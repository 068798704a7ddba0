package dev.flagway.routing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a recurring problem at most once per interval and says how many were suppressed since the
 * last line, so that a failing path never floods the log with a line per call.
 */
final class RateLimitedLogger {
    private final Logger logger;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    /** A logger that writes to {@code logger} at most once every {@code intervalNanos}. */
    public RateLimitedLogger(Logger logger, long intervalNanos, LongSupplier clock) {
        this.logger = logger;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.nextAllowed = new AtomicLong(clock.getAsLong());
    }

    /** A logger for {@code owner}'s class logger on the system nanosecond clock. */
    public static RateLimitedLogger of(Class<?> owner, long intervalNanos) {
        return new RateLimitedLogger(LoggerFactory.getLogger(owner), intervalNanos, System::nanoTime);
    }

    /** Logs {@code message} at WARN unless a line was logged within the interval. */
    public void warn(String format, Object... args) {
        long now = clock.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            if (skipped > 0) {
                logger.warn(format + " ({} similar suppressed)", append(args, skipped));
            } else {
                logger.warn(format, args);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }

    private static Object[] append(Object[] args, long skipped) {
        Object[] all = new Object[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = skipped;
        return all;
    }
}
