package dev.flagway.testing;

/** A JVM that starts the embedded MySQL, prints its run directory and waits to be killed. */
final class EmbeddedMySqlProbe {
    private EmbeddedMySqlProbe() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedMySql.start(TestDatabase.DEFAULT_DATABASE);
        System.out.println("ready " + EmbeddedMySql.runDirectory(ProcessHandle.current()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
