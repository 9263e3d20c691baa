package io.dialerbridge.dialer;

/**
 * What the HTTP status of a dialer's answer (VCC Live or Genesys) says about the request as a whole.
 * The one place where statuses are classified: the batch and single-call answer readers, the
 * Genesys session and the dialer gate all ask here.
 */
public enum AnswerClass {

    /** 2xx: the dialer took the request; its body says what became of each element. */
    ACCEPTED,
    /** 401 or 403: the credentials are not accepted; sending pauses, nothing is dead-lettered. */
    CREDENTIALS_REFUSED,
    /** 5xx, 429 or 408: the dialer is down or busy; worth sending again later. */
    BUSY,
    /** 400, 413 or 417: the whole request was refused, possibly for one element in it (worth splitting). */
    REFUSED_MAYBE_FOR_ONE,
    /** Any other status: the request was refused. */
    REFUSED;

    public static AnswerClass of(int httpStatus) {
        if (httpStatus / 100 == 2) {
            return ACCEPTED;
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return CREDENTIALS_REFUSED;
        }
        if (httpStatus >= 500 || httpStatus == 429 || httpStatus == 408) {
            return BUSY;
        }
        if (httpStatus == 400 || httpStatus == 413 || httpStatus == 417) {
            return REFUSED_MAYBE_FOR_ONE;
        }
        return REFUSED;
    }

    /** 429 and 503: the statuses whose {@code Retry-After} the bridge honours. */
    public static boolean carriesRetryAfter(int httpStatus) {
        return httpStatus == 429 || httpStatus == 503;
    }
}
