package org.lifeline.channels.webchat;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the chat's tests share: the cookie's name, a session's conversation, and every raw row. */
final class WebChatTestSupport {

    static final String COOKIE = "lifeline_chat";

    private WebChatTestSupport() {
    }

    /** The conversation behind a session's cookie, as the chat sees it. */
    static ConversationId conversationOf(WebChat chat, ConversationManagement conversations, String token) {
        var session = chat.session(token, false).orElseThrow();
        var contact = conversations.findContact("webchat", session.senderId()).orElseThrow();
        return conversations.latestConversation(contact).orElseThrow();
    }

    /** Every column value of every table, text as it is, bytes both as UTF-8 and as hex. */
    static List<String> rawRows(JdbcClient jdbc) {
        var tables = jdbc.sql("""
                        select table_name from information_schema.tables
                        where table_schema = current_schema and table_type = 'BASE TABLE'""")
                .query(String.class).list();
        var values = new ArrayList<String>();
        for (var table : tables) {
            jdbc.sql("select * from " + table).query(rs -> {
                for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                    var value = rs.getObject(column);
                    if (value instanceof byte[] bytes) {
                        values.add(new String(bytes, UTF_8));
                        values.add(HexFormat.of().formatHex(bytes));
                    } else if (value != null) {
                        values.add(value.toString());
                    }
                }
            });
        }
        return values;
    }
}
