package org.lifeline.campaigns;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.lifeline.site.SiteLanguage;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Campaigns for the console, the command line and the channels. The channels ask {@link #attribution} which
 * campaign an entry code stands for; a code that is unknown, malformed, stopped or out of its dates gets the same
 * empty answer, so trying codes tells nothing, and each try is an ordinary start under the channel's flood limits.
 */
@Service
@Transactional
public class CampaignManagement {

    /** What Telegram allows in a {@code /start} payload; anything else cannot be one of ours. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Letters and digits only, so the code survives any messenger, URL encoder or reader typing it. */
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** 12 of 62 symbols: 71 bits, so a guessed code is as good as none (and the QR code stays small). */
    static final int CODE_LENGTH = 12;
    /** Codes drawn until every QR code of the campaign reads back; one draw in a few hundred needs a second. */
    private static final int MAX_CODE_DRAWS = 10;
    private static final int MAX_NAME = 100;
    private static final int MAX_AUDIENCE = 200;

    private final Campaigns campaigns;
    private final CampaignFunnels funnels;
    private final EntryPoints entryPoints;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    CampaignManagement(Campaigns campaigns, CampaignFunnels funnels, EntryPoints entryPoints, Clock clock) {
        this.campaigns = campaigns;
        this.funnels = funnels;
        this.entryPoints = entryPoints;
        this.clock = clock;
    }

    public Campaign create(NewCampaign draft) {
        var name = draft.name() == null ? "" : draft.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidCampaign("name", "the name must be 1 to " + MAX_NAME + " characters on one line");
        }
        if (campaigns.nameTaken(name)) {
            throw new InvalidCampaign("name-taken", "a campaign named '" + name + "' exists already");
        }
        var language = draft.language() == null ? "" : draft.language().strip();
        if (SiteLanguage.fromCode(language).isEmpty()) {
            throw new InvalidCampaign("language", "the language must be one of " + languages());
        }
        var audience = draft.audience() == null || draft.audience().isBlank() ? null : draft.audience().strip();
        if (audience != null && (audience.length() > MAX_AUDIENCE || audience.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidCampaign("audience", "the audience must be at most " + MAX_AUDIENCE + " characters on one line");
        }
        var channels = new HashSet<>(draft.channels().isEmpty() ? Campaign.CHANNELS : draft.channels());
        if (!Campaign.CHANNELS.containsAll(channels)) {
            throw new InvalidCampaign("channels", "the channels must be among " + String.join(", ", Campaign.CHANNELS));
        }
        if (draft.from() != null && draft.until() != null && draft.until().isBefore(draft.from())) {
            throw new InvalidCampaign("dates", "the campaign must not end before it begins");
        }
        var id = new CampaignId(UUID.randomUUID());
        for (var attempt = 0; attempt < MAX_CODE_DRAWS; attempt++) {
            var campaign = new Campaign(id, newCode(), name, language, audience, channels, draft.from(),
                    draft.until(), true, clock.instant());
            if (entryPoints.of(campaign).stream().allMatch(point -> QrCodes.readsBack(point.link()))) {
                campaigns.insert(campaign);
                return campaign;
            }
        }
        throw new IllegalStateException("No entry code whose QR codes read back in " + MAX_CODE_DRAWS + " draws");
    }

    /** All campaigns, the newest first. */
    @Transactional(readOnly = true)
    public List<Campaign> list() {
        return campaigns.all();
    }

    @Transactional(readOnly = true)
    public Campaign campaign(CampaignId id) {
        return campaigns.find(id).orElseThrow(() -> new NoSuchElementException("No campaign " + id.value()));
    }

    /** Stops a campaign (its code then starts conversations like no code) or runs it again. */
    public void setActive(CampaignId id, boolean active) {
        if (!campaigns.setActive(id, active)) {
            throw new NoSuchElementException("No campaign " + id.value());
        }
    }

    /**
     * The campaign a conversation starting now through this entry code belongs to: empty when the code is malformed,
     * unknown, stopped or outside its dates, alike.
     */
    @Transactional(readOnly = true)
    public Optional<Campaign> attribution(String entryCode) {
        if (entryCode == null || !CODE.matcher(entryCode).matches()) {
            return Optional.empty();
        }
        var today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return campaigns.findByCode(entryCode).filter(campaign -> campaign.runsOn(today));
    }

    /** Its entry points, for the channels it chose and the official channels configured. */
    @Transactional(readOnly = true)
    public List<EntryPoint> entryPoints(Campaign campaign) {
        return entryPoints.of(campaign);
    }

    /** Exact and up to now: for checks, never for people to see (polled, it times each requester's steps). */
    @Transactional(readOnly = true)
    public CampaignFunnel funnel(CampaignId id) {
        return funnels.of(id, clock.instant().plusNanos(1));
    }

    /**
     * The funnel as it stood at the end of yesterday (UTC), for people to see: a campaign manager judges a campaign
     * by days and weeks, while a live count, polled, would time each requester's steps to the minute.
     */
    @Transactional(readOnly = true)
    public CampaignFunnel funnelUntilToday(CampaignId id) {
        return funnels.of(id, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC)
                .toInstant());
    }

    private String newCode() {
        // 71 random bits do not collide in practice; the unique constraint would refuse the insert if they did
        var code = new char[CODE_LENGTH];
        for (var i = 0; i < code.length; i++) {
            code[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }

    private static String languages() {
        return String.join(", ", SiteLanguage.all().stream().map(SiteLanguage::code).toList());
    }
}
