package org.lifeline.console.web;

import java.util.Map;
import java.util.UUID;

import org.lifeline.conversations.ConversationManagement;
import org.lifeline.conversations.MessageId;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.site.ContentSecurityPolicy;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The files requesters sent (photos, voice notes), decrypted for the case page. A file is known by its message's id.
 * The browser may show only the image and audio types listed here, in a sandbox with nothing active; anything else
 * is a download it must not interpret. Names are neutral: a requester's file name may be personal.
 */
@Controller
class AttachmentController {

    static final String PATH = "/console/attachments";

    /** Allows the file itself and nothing it could load or run. */

    /** What the browser may show inline, with the extension of the neutral file name. */
    private static final Map<String, String> SHOWN = Map.of(
            "image/jpeg", "jpg", "image/png", "png", "image/webp", "webp",
            "audio/ogg", "ogg", "audio/mpeg", "mp3", "audio/mp4", "m4a", "audio/aac", "aac", "audio/amr", "amr");

    /** How the case page shows a file of this type: {@code image}, {@code audio} or {@code file} (a link). */
    static String display(String mediaType) {
        if (!SHOWN.containsKey(mediaType)) {
            return "file";
        }
        return mediaType.startsWith("image/") ? "image" : "audio";
    }

    private final ConversationManagement conversations;
    private final AccessRecord access;

    AttachmentController(ConversationManagement conversations, AccessRecord access) {
        this.conversations = conversations;
        this.access = access;
    }

    @GetMapping(PATH + "/{id}")
    ResponseEntity<byte[]> attachment(@PathVariable UUID id) {
        var found = conversations.attachment(new MessageId(id));
        if (found.isEmpty()) {
            // unknown, removed after its period, or its requester was forgotten and its key destroyed
            access.record("attachment.read", id.toString(), Outcome.REFUSED);
            return ResponseEntity.notFound().cacheControl(CacheControl.noStore()).build();
        }
        access.record("attachment.read", id.toString(), Outcome.SUCCEEDED);
        var file = found.get();
        var extension = SHOWN.get(file.mediaType());
        var disposition = extension != null
                ? ContentDisposition.inline().filename("attachment." + extension)
                : ContentDisposition.attachment().filename("attachment.bin");
        return ResponseEntity.ok()
                .contentType(extension != null ? MediaType.parseMediaType(file.mediaType())
                        : MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition.build().toString())
                .cacheControl(CacheControl.noStore())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", ContentSecurityPolicy.FILE)
                .body(file.content());
    }
}
