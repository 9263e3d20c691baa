package io.dialerbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Genesys outbound records by handle, and the campaigns they belong to. Guarded by the instance monitor. */
final class GenesysState {

    record Campaign(String name, List<String> callingLists) {
    }

    record Update(String time, Long applicationId, String referenceId) {
    }

    static final class OutboundRecord {
        final long handle;
        final String campaignName;
        final String callingList;
        String phoneNumber;
        String phoneType;
        String timeZone;
        Integer from;
        Integer until;
        final List<Update> updates = new ArrayList<>();

        OutboundRecord(long handle, String campaignName, String callingList, String phoneNumber, String phoneType,
                       String timeZone, Integer from, Integer until) {
            this.handle = handle;
            this.campaignName = campaignName;
            this.callingList = callingList;
            this.phoneNumber = phoneNumber;
            this.phoneType = phoneType;
            this.timeZone = timeZone;
            this.from = from;
            this.until = until;
        }

        ObjectNode toJson() {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("handle", handle).put("campaignName", campaignName).put("callingList", callingList)
                    .put("phoneNumber", phoneNumber).put("phoneType", phoneType).put("timeZone", timeZone)
                    .put("from", from).put("until", until);
            var list = node.putArray("updates");
            for (Update u : updates) {
                list.addObject().put("time", u.time()).put("applicationId", u.applicationId()).put("referenceId", u.referenceId());
            }
            return node;
        }
    }

    final Map<String, Campaign> campaigns = new LinkedHashMap<>();
    final Map<Long, OutboundRecord> records = new LinkedHashMap<>();
}
