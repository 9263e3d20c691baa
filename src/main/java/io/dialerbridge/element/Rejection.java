package io.dialerbridge.element;

/**
 * Why an element was not accepted.
 *
 * @param error        the error key: the API's own name where one exists (such as
 *                     {@code error.missing_numberid_or_search}), else the bridge's (such as
 *                     {@code error.unconfirmed}); reports count by it
 * @param apiErrorCode the {@code errorcode} the dialer gave (417 for element errors), or null
 * @param message      a readable explanation
 * @param httpStatus   the HTTP status of the answer that refused it, 0 when it was never sent
 * @param attempts     how many times it was sent
 */
public record Rejection(String error, Integer apiErrorCode, String message, int httpStatus, int attempts) {

    public static Rejection beforeSending(String error, String message) {
        return new Rejection(error, null, message, 0, 0);
    }
}
