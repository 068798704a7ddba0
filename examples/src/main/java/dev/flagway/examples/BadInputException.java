package dev.flagway.examples;

/** Input the demo cannot run with (command line, database URL, credentials); its message is the one line shown. */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
