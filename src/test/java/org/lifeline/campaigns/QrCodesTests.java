package org.lifeline.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QrCodesTests {

    private static final String[] LINKS = {
            "tel:+380440000000",
            "https://wa.me/380440000001?text=%2Fstart%20Ab3dEf6hIj9k",
            "http://" + "a".repeat(56) + ".onion/ko/c/Ab3dEf6hIj9k"};

    @Test
    void thePngAndTheSvgReadBackAsTheLink() throws Exception {
        for (var link : LINKS) {
            assertThat(QrImages.decode(QrCodes.image(link, CampaignKit.PIXELS_PER_MODULE)).getText()).isEqualTo(link);
            assertThat(QrImages.decode(QrImages.rendered(QrCodes.svg(link), 4)).getText()).isEqualTo(link);
        }
    }

    @Test
    void readsBackShrunkToAThirdAndBlurred() throws Exception {
        for (var link : LINKS) {
            var image = QrCodes.image(link, CampaignKit.PIXELS_PER_MODULE);
            assertThat(QrImages.decode(QrImages.blurred(QrImages.scaled(image, 1.0 / 3), 2)).getText()).isEqualTo(link);
            assertThat(QrCodes.readsBack(link)).isTrue();
        }
    }

    @Test
    void theSvgKeepsAWhiteQuietZoneOfEightModules() {
        var matrix = QrCodes.matrix(LINKS[0]);
        for (var i = 0; i < QrCodes.QUIET_ZONE; i++) {
            for (var j = 0; j < matrix.getWidth(); j++) {
                assertThat(matrix.get(i, j) || matrix.get(j, i)).isFalse();
            }
        }
        assertThat(matrix.get(QrCodes.QUIET_ZONE, QrCodes.QUIET_ZONE)).as("the finder pattern's corner").isTrue();
        assertThat(QrCodes.svg(LINKS[0])).contains("<rect width=\"" + matrix.getWidth() + "\"", "fill=\"#fff\"");
    }
}
