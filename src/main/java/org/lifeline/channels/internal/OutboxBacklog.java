package org.lifeline.channels.internal;

import java.util.Comparator;
import java.util.List;

import org.lifeline.channels.OutboundBacklog;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Counts the outbox per endpoint of this node (one index range each), for the console's queue page. */
@Component
class OutboxBacklog implements OutboundBacklog {

    private final JdbcClient jdbc;
    private final Adapters adapters;

    OutboxBacklog(JdbcClient jdbc, Adapters adapters) {
        this.jdbc = jdbc;
        this.adapters = adapters;
    }

    @Override
    public List<Endpoint> waiting() {
        return adapters.served().stream()
                .map(served -> {
                    var count = jdbc.sql("""
                            select count(*) from outbox_message
                            where channel = ? and endpoint = ? and state in ('PENDING', 'SENDING')""")
                            .params(served.channel(), served.endpoint()).query(Long.class).single();
                    var rate = adapters.get(served.channel()).limits(served.endpoint()).perEndpointPerSecond();
                    return new Endpoint(served.channel(), served.endpoint(), count, rate);
                })
                .filter(endpoint -> endpoint.messages() > 0)
                .sorted(Comparator.comparingLong(Endpoint::messages).reversed())
                .toList();
    }
}
