package io.dialerbridge.ops;

import io.dialerbridge.element.Element;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * When each element handed to sending was received, by element id, until it is accepted or
 * dead-lettered: the oldest wait is the first entry (ids are kept in the order they arrived). An element
 * sent again (a transient retry, a half of a split batch) keeps its first time.
 */
final class Unaccounted {

    private final Map<String, Long> since = new LinkedHashMap<>();

    synchronized void received(Collection<Element> elements, long at) {
        for (Element element : elements) {
            if (element.id() != null) {
                since.putIfAbsent(element.id(), at);
            }
        }
    }

    synchronized void accounted(Collection<Element> elements) {
        if (since.isEmpty()) {
            return;
        }
        for (Element element : elements) {
            if (element.id() != null) {
                since.remove(element.id());
            }
        }
    }

    /** The time the oldest element still waiting was received, if any is. */
    synchronized OptionalLong oldest() {
        Iterator<Long> first = since.values().iterator();
        return first.hasNext() ? OptionalLong.of(first.next()) : OptionalLong.empty();
    }

    synchronized int size() {
        return since.size();
    }
}
