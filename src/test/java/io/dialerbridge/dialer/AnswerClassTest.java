package io.dialerbridge.dialer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerClassTest {

    @Test
    void every_2xx_is_accepted() {
        for (int status : new int[] {200, 201, 204, 299}) {
            assertThat(AnswerClass.of(status)).as("HTTP %d", status).isEqualTo(AnswerClass.ACCEPTED);
        }
    }

    @Test
    void unauthorized_and_forbidden_refuse_the_credentials() {
        assertThat(AnswerClass.of(401)).isEqualTo(AnswerClass.CREDENTIALS_REFUSED);
        assertThat(AnswerClass.of(403)).isEqualTo(AnswerClass.CREDENTIALS_REFUSED);
    }

    @Test
    void server_errors_too_many_requests_and_timeouts_say_the_dialer_is_busy() {
        for (int status : new int[] {500, 502, 503, 504, 599, 429, 408}) {
            assertThat(AnswerClass.of(status)).as("HTTP %d", status).isEqualTo(AnswerClass.BUSY);
        }
    }

    @Test
    void bad_request_too_large_and_expectation_failed_may_be_for_one_element() {
        for (int status : new int[] {400, 413, 417}) {
            assertThat(AnswerClass.of(status)).as("HTTP %d", status).isEqualTo(AnswerClass.REFUSED_MAYBE_FOR_ONE);
        }
    }

    @Test
    void any_other_status_refuses_the_request() {
        for (int status : new int[] {404, 409, 422, 302, 100}) {
            assertThat(AnswerClass.of(status)).as("HTTP %d", status).isEqualTo(AnswerClass.REFUSED);
        }
    }

    @Test
    void only_429_and_503_carry_a_retry_after_the_bridge_honours() {
        assertThat(AnswerClass.carriesRetryAfter(429)).isTrue();
        assertThat(AnswerClass.carriesRetryAfter(503)).isTrue();
        for (int status : new int[] {500, 408, 401, 200}) {
            assertThat(AnswerClass.carriesRetryAfter(status)).as("HTTP %d", status).isFalse();
        }
    }
}
