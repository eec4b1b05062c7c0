package org.moodlesync.http;

/** An HTTP call refused with a status and a message for the caller (no stack trace ever leaves). */
public final class HttpRefusedException extends RuntimeException {
    private final int status;

    public HttpRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
