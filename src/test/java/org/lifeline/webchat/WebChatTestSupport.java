package org.lifeline.webchat;

import org.lifeline.conversations.ConversationId;
import org.lifeline.conversations.ConversationManagement;

/** What the chat's tests share: the cookie's name and a session's conversation. */
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
}
