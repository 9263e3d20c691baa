package io.dialerbridge.element;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an element came from: a file and line, or a Kafka topic, partition and offset.
 */
public record SourceRef(String file, long line, String topic, int partition, long offset) {

    public static SourceRef fileLine(String file, long line) {
        return new SourceRef(file, line, null, -1, -1);
    }

    public static SourceRef kafka(String topic, int partition, long offset) {
        return new SourceRef(null, -1, topic, partition, offset);
    }

    public boolean isFile() {
        return file != null;
    }

    /** A stable text used in element ids: the same source always gives the same text. */
    public String key() {
        return isFile() ? file + ":" + line : topic + "/" + partition + "@" + offset;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (isFile()) {
            map.put("file", file);
            map.put("line", line);
        } else {
            map.put("topic", topic);
            map.put("partition", partition);
            map.put("offset", offset);
        }
        return map;
    }

    @Override
    public String toString() {
        return isFile() ? file + " line " + line : topic + "-" + partition + " offset " + offset;
    }
}
