package org.lifeline.campaigns.material;

/**
 * Campaign material to print and to film: a video end card (PNG, 1920×1080) and an A5 leaflet (PDF) with the
 * campaign's QR code, the phone number, the bot's name and three lines of instructions in the campaign's language;
 * the leaflet also carries the fingerprint of the key that signs the channel list. Made to stay legible when
 * photocopied badly or filmed off a screen: error correction H, a quiet zone of four modules, large modules, black on
 * white, big bold type in fonts shipped with the application (and embedded in the PDF).
 *
 * <p>Needs no Spring and no display: Java2D runs headless.
 */
public final class CampaignMaterial {

    public static final int END_CARD_WIDTH = EndCard.WIDTH;
    public static final int END_CARD_HEIGHT = EndCard.HEIGHT;

    private CampaignMaterial() {
    }

    /**
     * The video end card as PNG bytes.
     *
     * @throws IllegalArgumentException when the language has no texts, the link is too long to scan off a screen,
     *         or a text has a character no bundled font has
     */
    public static byte[] endCard(MaterialRequest request) {
        return EndCard.render(request, MaterialTexts.of(request), Fonts.bundled());
    }

    /**
     * The A5 leaflet as PDF bytes.
     *
     * @throws IllegalArgumentException when the language has no texts, the link is too long to survive a photocopy,
     *         or a text has a character no bundled font has
     */
    public static byte[] leaflet(MaterialRequest request) {
        return Leaflet.render(request, MaterialTexts.of(request), Fonts.bundled());
    }
}
