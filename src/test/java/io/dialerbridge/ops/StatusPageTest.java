package io.dialerbridge.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusPageTest {

    @Test
    void escapes_every_value_it_shows() {
        assertThat(StatusPage.text("22/modify-records/<script>alert('x')</script>&.csv"))
                .isEqualTo("22/modify-records/&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;.csv");
        assertThat(StatusPage.text("\"quoted\"")).isEqualTo("&quot;quoted&quot;");
        assertThat(StatusPage.text(null)).isEmpty();
    }
}
