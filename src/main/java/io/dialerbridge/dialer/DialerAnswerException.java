package io.dialerbridge.dialer;

/**
 * The dialer's answer was not about the elements but about the request as a whole: it is down or
 * busy (transient: retried), or it refused the credentials (the target is paused).
 */
public class DialerAnswerException extends RuntimeException {

    private final int httpStatus;
    private final String retryAfter;

    public DialerAnswerException(String message, int httpStatus, String retryAfter) {
        super(message);
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The Retry-After header as the dialer sent it, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /** 5xx, 429 or 408: worth sending again later. */
    /**
     * Throws when a VCC Live answer is about the request as a whole: refused credentials, or a busy
     * or failing dialer (retried by the failure policy); returns its class otherwise.
     */
    public static AnswerClass throwIfWholeRequest(int httpStatus, String retryAfter) {
        AnswerClass answer = AnswerClass.of(httpStatus);
        if (answer == AnswerClass.CREDENTIALS_REFUSED) {
            throw new CredentialsRefused("the dialer refused the credentials (HTTP " + httpStatus + ")", httpStatus);
        }
        if (answer == AnswerClass.BUSY) {
            throw new Transient("the dialer answered HTTP " + httpStatus, httpStatus, retryAfter);
        }
        return answer;
    }

    public static final class Transient extends DialerAnswerException {
        public Transient(String message, int httpStatus, String retryAfter) {
            super(message, httpStatus, retryAfter);
        }
    }

    /** 401 or 403: the credentials are not accepted; nothing is dead-lettered for it. */
    public static final class CredentialsRefused extends DialerAnswerException {
        public CredentialsRefused(String message, int httpStatus) {
            super(message, httpStatus, null);
        }
    }
}
