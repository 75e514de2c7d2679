package org.lifeline.site.web;

import java.nio.charset.StandardCharsets;

import org.lifeline.site.ChannelList;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The signed list of official channels and the public key that verifies it. */
@RestController
class ChannelListController {

    private final ChannelList channelList;

    ChannelListController(ChannelList channelList) {
        this.channelList = channelList;
    }

    @GetMapping("/.well-known/lifeline-channels.json")
    ResponseEntity<byte[]> channels() {
        return json(channelList.document());
    }

    @GetMapping("/.well-known/lifeline-channels.pub.json")
    ResponseEntity<byte[]> publicKey() {
        return json(channelList.publicKeyset());
    }

    private static ResponseEntity<byte[]> json(String body) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(SiteWebConfiguration.PUBLIC)
                .body(body.getBytes(StandardCharsets.UTF_8));
    }
}
