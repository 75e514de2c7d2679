package org.lifeline.webchat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeline.webchat.*}: how long a chat session lives unused and how much one session, and all of them
 * together on this node, may post.
 *
 * @param sessionIdleTimeout a session unused this long is gone; the codename resumes the chat. A chat started and not
 *         yet spoken in (held by the browser alone) is gone this long after it was started
 * @param postsPerSessionPerMinute messages one session may post a minute before it is answered 429
 * @param plainPostsPerSessionPerMinute of those, messages one session may post a minute without the page's work
 *         (no JavaScript, or a script): a person types and reads slower, and one session cannot spend the node's
 *         budget of posts without work
 * @param postsPerMinute messages all sessions on this node may post a minute together with the browser's work, and
 *         as many again without it (a budget apart: a script posts without work for nothing)
 * @param resumesPerMinute chats resumed by codename a minute on this node, by work and by the sum alike: budgets
 *         apart; only a codename found spends them (a start spends no budget: it stores nothing until he posts)
 * @param failedResumesPerMinute resumes a minute on this node whose codename was found nowhere, by work and by the
 *         sum alike: budgets apart, which bound guessing; once one is spent, its kind of resume looks nothing up
 * @param proofOfWorkBits leading zero bits of the SHA-256 the browser's script finds before a chat starts or
 *         resumes, and for each message it posts, while the chat is quiet; for a resume or a message up to 6 more as
 *         its budget fills
 * @param replyWait how long a post waits for the answer before the page is shown (then the page says it waits)
 * @param maxMessageLength characters in one message
 */
@ConfigurationProperties("lifeline.webchat")
public record WebChatSettings(
        @DefaultValue("30m") Duration sessionIdleTimeout,
        @DefaultValue("20") int postsPerSessionPerMinute,
        @DefaultValue("10") int plainPostsPerSessionPerMinute,
        @DefaultValue("600") int postsPerMinute,
        @DefaultValue("60") int resumesPerMinute,
        @DefaultValue("600") int failedResumesPerMinute,
        @DefaultValue("14") int proofOfWorkBits,
        @DefaultValue("3s") Duration replyWait,
        @DefaultValue("2000") int maxMessageLength) {

    public WebChatSettings {
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("lifeline.webchat.session-idle-timeout must be positive");
        }
        if (postsPerSessionPerMinute < 1 || plainPostsPerSessionPerMinute < 1 || postsPerMinute < 1
                || resumesPerMinute < 1 || failedResumesPerMinute < 1) {
            throw new IllegalArgumentException("lifeline.webchat limits must be at least 1 a minute");
        }
        if (proofOfWorkBits < 0 || proofOfWorkBits > 24) {
            throw new IllegalArgumentException("lifeline.webchat.proof-of-work-bits must be 0 to 24: a phone must get through");
        }
        if (maxMessageLength < 100) {
            throw new IllegalArgumentException("lifeline.webchat.max-message-length must be at least 100");
        }
    }
}
