package dev.flagway.examples;

/** How one simulated request ended, as its caller saw it. */
enum Outcome {
    /** Answered correctly. */
    OK,
    /** Failed with an error (an HTTP 500 or 503 in a real application). */
    FAILED,
    /** Answered, but not with the value the user last wrote. */
    WRONG
}
