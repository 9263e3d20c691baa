package io.dialerbridge.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * An embedded broker for the tests of one class: started before them (before the class's own {@code @BeforeAll}
 * methods), closed after them. {@code @RegisterExtension static final BrokerPerClass kafka =
 * new BrokerPerClass(() -> EmbeddedKafkaBroker.start(1));} then {@code kafka.broker()}.
 */
public final class BrokerPerClass implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<EmbeddedKafkaBroker> start;
    private EmbeddedKafkaBroker broker;

    public BrokerPerClass(Supplier<EmbeddedKafkaBroker> start) {
        this.start = start;
    }

    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the class's tests, not earlier");
        }
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
