package org.lifeline.channels.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.lifeline.channels.ChannelAdapter;
import org.springframework.stereotype.Component;

/** The configured channel adapters by their type code. */
@Component
class Adapters {

    private final Map<String, ChannelAdapter> byType;

    Adapters(List<ChannelAdapter> adapters) {
        this.byType = adapters.stream().collect(Collectors.toUnmodifiableMap(ChannelAdapter::type, Function.identity()));
    }

    /** Every endpoint of every adapter, as configured on this node. */
    List<InboundUpdates.Endpoint> served() {
        return byType.values().stream()
                .flatMap(adapter -> adapter.endpoints().stream().map(e -> new InboundUpdates.Endpoint(adapter.type(), e)))
                .toList();
    }

    ChannelAdapter get(String type) {
        var adapter = byType.get(type);
        if (adapter == null) {
            throw new IllegalStateException("No channel adapter for '" + type + "'");
        }
        return adapter;
    }
}
