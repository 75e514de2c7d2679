package org.lifeline.flows.engine;

/**
 * How the requester arrived, given to {@link FlowEngine#start}.
 *
 * @param campaign the campaign code he came through, or null
 * @param campaignLanguage the campaign's language, preferred over the channel's hint; or null
 * @param languageHint the channel's hint such as Telegram's {@code language_code} ({@code ru}, {@code ko-KP}); or null
 * @param photos whether the channel can receive photos (questions for a photo are skipped otherwise)
 */
public record Entry(String campaign, String campaignLanguage, String languageHint, boolean photos) {

    public static Entry of(String languageHint, boolean photos) {
        return new Entry(null, null, languageHint, photos);
    }
}
