package org.lifeline.channels.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.lifeline.channels.ChannelCopies;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The fetches whose channel copy {@link AttachmentFetcher} gave up deleting (state {@code UNDELETED}). */
@Repository
class UndeletedCopies implements ChannelCopies {

    private final JdbcClient jdbc;

    UndeletedCopies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Integer> undeleted() {
        var counts = new LinkedHashMap<String, Integer>();
        jdbc.sql("select channel, count(*) as copies from attachment_fetch where state = 'UNDELETED' group by channel order by channel")
                .query((RowCallbackHandler) rs -> counts.put(rs.getString("channel"), rs.getInt("copies")));
        return counts;
    }

    @Override
    public int acknowledge() {
        return jdbc.sql("update attachment_fetch set state = 'ACKNOWLEDGED' where state = 'UNDELETED'").update();
    }
}
