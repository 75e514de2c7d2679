package org.lifeline.console.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.util.Map;
import java.util.UUID;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseView;
import org.lifeline.conversations.ContactId;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageId;
import org.lifeline.operators.Role;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.testing.ConsoleTest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

/**
 * Requesters' files on the case page and through {@code /console/attachments/{id}}: decrypted byte for byte, shown
 * only as harmless types, recorded, and gone once the requester is forgotten. Files are kept the way the channels
 * keep what they fetched, through {@link ConversationManagement#attach}.
 */
@ConsoleTest
class AttachmentConsoleIntegrationTests extends ConsoleFixture {

    /** A PNG signature and a little more: what matters is that it comes back unchanged. */
    private static final byte[] PHOTO = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2, (byte) 0xff};

    private ContactId contact;
    private CaseView kase;

    @BeforeEach
    void openACase() {
        kase = openCase("attachment", "ko", Map.of("group_size", "2"));
        contact = kase.contact();
    }

    private MessageId sent(String mediaType, byte[] content) {
        var message = conversations.recordInbound(kase.conversation(), "", null);
        conversations.attach(message, mediaType, content);
        return message;
    }

    private MockHttpServletResponse fetch(String path, MockHttpSession session) throws Exception {
        return mvc.perform(get(path).session(session)).andReturn().getResponse();
    }

    @Test
    void anOperatorSeesThePhotoOnTheCasePageAndFetchesItUnchanged() throws Exception {
        var photo = sent("image/png", PHOTO);
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        var page = Jsoup.parse(fetch("/console/cases/" + kase.id().value(), session).getContentAsString());
        var img = page.selectFirst("ol.transcript img");
        assertThat(img).isNotNull();
        assertThat(img.attr("src")).isEqualTo("/console/attachments/" + photo.value());
        assertThat(img.attr("alt")).isNotBlank();

        var response = fetch(img.attr("src"), session);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsByteArray()).isEqualTo(PHOTO);
        assertThat(response.getContentType()).isEqualTo("image/png");
        assertThat(response.getHeader("Content-Disposition")).isEqualTo("inline; filename=\"attachment.png\"");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(response.getHeaders("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(response.getHeaders("Content-Security-Policy"))
                .containsExactly("default-src 'none'; img-src 'self'; media-src 'self'; sandbox");
        assertThat(access.latest(5)).extracting(AccessRecord.Entry::action, AccessRecord.Entry::subject,
                AccessRecord.Entry::outcome).contains(tuple("attachment.read", photo.value().toString(),
                        Outcome.SUCCEEDED));
    }

    @Test
    void aVoiceNoteIsAnAudioPlayerOnThePage() throws Exception {
        var voice = sent("audio/ogg", new byte[] {'O', 'g', 'g', 'S'});
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        var page = Jsoup.parse(fetch("/console/cases/" + kase.id().value(), session).getContentAsString());
        var audio = page.selectFirst("ol.transcript audio[controls]");
        assertThat(audio).isNotNull();
        assertThat(audio.attr("src")).isEqualTo("/console/attachments/" + voice.value());
        assertThat(fetch(audio.attr("src"), session).getContentType()).isEqualTo("audio/ogg");
        // the console's own policy lets the page play it
        assertThat(fetch("/console/cases/" + kase.id().value(), session).getHeader("Content-Security-Policy"))
                .contains("media-src 'self'");
    }

    @Test
    void anAdminWithoutCaseAccessIsRefused() throws Exception {
        var photo = sent("image/png", PHOTO);
        var session = accounts.signIn(accounts.create(Role.ADMIN));

        var response = fetch("/console/attachments/" + photo.value(), session);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsByteArray()).isNotEqualTo(PHOTO);
    }

    @Test
    void aForgottenRequestersFileIsGone() throws Exception {
        var photo = sent("image/png", PHOTO);
        var session = accounts.signIn(accounts.create(Role.OPERATOR));
        assertThat(fetch("/console/attachments/" + photo.value(), session).getStatus()).isEqualTo(200);

        conversations.forget(contact);

        assertThat(fetch("/console/attachments/" + photo.value(), session).getStatus()).isEqualTo(404);
        assertThat(access.latest(5)).extracting(AccessRecord.Entry::action, AccessRecord.Entry::subject,
                AccessRecord.Entry::outcome).contains(tuple("attachment.read", photo.value().toString(),
                        Outcome.REFUSED));
    }

    @Test
    void anUnknownFileIsNotFound() throws Exception {
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        assertThat(fetch("/console/attachments/" + UUID.randomUUID(), session).getStatus()).isEqualTo(404);
    }

    @Test
    void aTypeNotOnTheListIsADownloadAndALinkOnThePage() throws Exception {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var file = sent("image/svg+xml", svg);
        var session = accounts.signIn(accounts.create(Role.OPERATOR));

        var page = Jsoup.parse(fetch("/console/cases/" + kase.id().value(), session).getContentAsString());
        assertThat(page.select("ol.transcript img")).isEmpty();
        assertThat(page.select("ol.transcript a[href=/console/attachments/" + file.value() + "]")).hasSize(1);

        var response = fetch("/console/attachments/" + file.value(), session);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/octet-stream");
        assertThat(response.getHeader("Content-Disposition")).isEqualTo("attachment; filename=\"attachment.bin\"");
        assertThat(response.getContentAsByteArray()).isEqualTo(svg);
    }
}
