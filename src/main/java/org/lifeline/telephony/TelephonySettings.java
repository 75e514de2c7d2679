package org.lifeline.telephony;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lifeline.telephony.*}: phone numbers on a provider speaking Twilio's webhook dialect (Twilio; Telnyx TeXML
 * and SignalWire take the same requests). Without an account SID the phone line and SMS are off (their webhooks
 * answer 404).
 *
 * @param apiUrl the REST API's base URL (tests point it at a local fake)
 * @param accountSid the account ({@code AC} and 32 hexadecimal digits)
 * @param authToken the account's auth token: signs every webhook and authenticates every API call (from the secret
 *         store: {@code LIFELINE_TELEPHONY_AUTH_TOKEN})
 * @param publicUrl the https address the provider calls, as configured there ({@code https://hotline.example}, or
 *         a proxy's): signatures are checked against it, never against the Host header; never plain http, which
 *         would carry callers' numbers and messages in clear
 * @param numbers the numbers, each with the language its callers and writers get when nothing else tells
 * @param perNumberPerSecond SMS a second from one number (a long code sends about one a second)
 * @param perRecipientPerSecond SMS a second to one person
 * @param inboundPerSenderPerMinute SMS one sender may send a minute before the rest are stored as counted drops
 * @param maxSegments SMS segments one Messages API request may carry; a longer text goes as several requests, cut at
 *         segment boundaries (the provider advises at most 10)
 * @param maxWait how long a caller waits in the queue for an operator before he is taken to voicemail (5 s to 10 min)
 * @param voicemailMaxLength the longest voicemail
 * @param voices the text-to-speech voice per language for {@code <Say>} (defaults: Google standard voices)
 * @param audio recorded prompts per language and prompt name (an https URL of an MP3 or WAV file the provider
 *         fetches); a prompt without one is spoken with {@code <Say>}
 */
@ConfigurationProperties("lifeline.telephony")
public record TelephonySettings(
        @DefaultValue("https://api.twilio.com") URI apiUrl,
        String accountSid,
        String authToken,
        URI publicUrl,
        @DefaultValue List<Number> numbers,
        @DefaultValue("1") double perNumberPerSecond,
        @DefaultValue("1") double perRecipientPerSecond,
        @DefaultValue("30") int inboundPerSenderPerMinute,
        @DefaultValue("10") int maxSegments,
        @DefaultValue("60s") java.time.Duration maxWait,
        @DefaultValue("120s") java.time.Duration voicemailMaxLength,
        @DefaultValue Map<String, String> voices,
        @DefaultValue Map<String, Map<String, URI>> audio) {

    static final Set<String> LANGUAGES = Set.of("ru", "ko", "uk", "en");
    static final Map<String, String> DEFAULT_VOICES = Map.of("ru", "Google.ru-RU-Standard-A",
            "ko", "Google.ko-KR-Standard-A", "uk", "Google.uk-UA-Standard-A", "en", "Google.en-US-Standard-C");

    public TelephonySettings {
        numbers = List.copyOf(numbers);
        var allVoices = new HashMap<>(DEFAULT_VOICES);
        allVoices.putAll(voices);
        voices = Map.copyOf(allVoices);
        audio = Map.copyOf(audio);
        for (var language : audio.keySet()) {
            if (!LANGUAGES.contains(language)) {
                throw new IllegalArgumentException("lifeline.telephony.audio." + language + ": not a language of the phone line");
            }
            for (var prompt : audio.get(language).entrySet()) {
                if (!VoicePrompt.NAMES.contains(prompt.getKey())) {
                    throw new IllegalArgumentException("lifeline.telephony.audio." + language + "." + prompt.getKey()
                            + ": not a prompt (" + String.join(", ", VoicePrompt.NAMES) + ")");
                }
                if (!"https".equals(prompt.getValue().getScheme()) && !"http".equals(prompt.getValue().getScheme())) {
                    throw new IllegalArgumentException("lifeline.telephony.audio." + language + "." + prompt.getKey()
                            + " must be an http(s) URL the provider can fetch");
                }
            }
        }
        if (maxWait.toSeconds() < 5 || maxWait.toSeconds() > 600) {
            throw new IllegalArgumentException("lifeline.telephony.max-wait must be 5s to 10m");
        }
        if (voicemailMaxLength.toSeconds() < 5 || voicemailMaxLength.toSeconds() > 3600) {
            throw new IllegalArgumentException("lifeline.telephony.voicemail-max-length must be 5s to 1h");
        }
        if (accountSid != null && !accountSid.isBlank()) {
            if (!accountSid.matches("AC[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("lifeline.telephony.account-sid must be AC and 32 hexadecimal digits");
            }
            if (authToken == null || authToken.isBlank()) {
                throw new IllegalArgumentException("lifeline.telephony.auth-token is required with an account-sid");
            }
            // the provider's requests carry callers' numbers and their messages across the internet: never in clear
            if (publicUrl == null || !"https".equals(publicUrl.getScheme()) || publicUrl.getHost() == null
                    || publicUrl.getRawQuery() != null) {
                throw new IllegalArgumentException(
                        "lifeline.telephony.public-url must be the https:// address the provider calls, without a query");
            }
            if (numbers.isEmpty()) {
                throw new IllegalArgumentException("lifeline.telephony.numbers needs at least one number with an account-sid");
            }
        }
        for (int i = 0; i < numbers.size(); i++) {
            var number = numbers.get(i);
            if (number == null || number.number() == null || !number.number().matches("\\+[1-9][0-9]{6,14}")) {
                throw new IllegalArgumentException("lifeline.telephony.numbers[" + i + "].number must be in E.164 (+ and digits)");
            }
            if (!LANGUAGES.contains(number.language())) {
                throw new IllegalArgumentException("lifeline.telephony.numbers[" + i + "].language must be one of " + LANGUAGES);
            }
        }
        if (maxSegments < 1 || maxSegments > 10) {
            throw new IllegalArgumentException("lifeline.telephony.max-segments must be 1 to 10");
        }
    }

    /**
     * One number: in E.164, and its default language (ru, ko, uk or en).
     */
    public record Number(String number, @DefaultValue("ru") String language) {
    }

    public boolean enabled() {
        return accountSid != null && !accountSid.isBlank();
    }

    Optional<Number> number(String e164) {
        return enabled() ? numbers.stream().filter(n -> n.number().equals(e164)).findFirst() : Optional.empty();
    }

    /** The public address of a webhook path, as the provider was told it (and signs it). */
    String publicUrl(String path) {
        return publicUrl.toString().replaceAll("/+$", "") + path;
    }

    @Override
    public String toString() {
        return "TelephonySettings[" + apiUrl + ", enabled=" + enabled() + ", numbers=" + numbers.size() + "]";
    }
}
