package org.lifeline.console.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.lifeline.campaigns.Campaign;
import org.lifeline.campaigns.CampaignFunnel;
import org.lifeline.campaigns.CampaignId;
import org.lifeline.campaigns.CampaignManagement;
import org.lifeline.campaigns.InvalidCampaign;
import org.lifeline.campaigns.NewCampaign;
import org.lifeline.campaigns.QrCodes;
import org.lifeline.privacy.AccessRecord;
import org.lifeline.privacy.AccessRecord.Outcome;
import org.lifeline.reporting.Disclosure;
import org.lifeline.site.SiteLanguage;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Campaigns for supervisors and admins (the rule is in {@link ConsoleSecurityConfiguration}): the list with each
 * funnel, creating one, a campaign's entry points with their QR codes, stopping and running it again. A campaign may
 * be made for one person, so its funnel is shown as it stood at the end of yesterday with counts of 1 to 4 as the
 * reports' "&lt;5", and every look and change goes into the {@link AccessRecord}, with the campaign's id.
 */
@Controller
@RequestMapping(CampaignsController.PATH)
class CampaignsController {

    static final String PATH = "/console/campaigns";

    /** A funnel as people see it: each count as the reports show one ({@link Disclosure}: by its band of five). */
    record ShownFunnel(String started, String intakeCompleted, String verified, String handoverPlanned,
            String surrendered) {

        static ShownFunnel of(CampaignFunnel funnel) {
            var shown = Disclosure.RULE;
            return new ShownFunnel(shown.count(funnel.started()), shown.count(funnel.intakeCompleted()),
                    shown.count(funnel.verified()), shown.count(funnel.handoverPlanned()),
                    shown.count(funnel.surrendered()));
        }
    }

    private final CampaignManagement campaigns;
    private final AccessRecord access;
    private final ConsoleLanguage text;

    CampaignsController(CampaignManagement campaigns, AccessRecord access, ConsoleLanguage text) {
        this.campaigns = campaigns;
        this.access = access;
        this.text = text;
    }

    @GetMapping
    String list(Model model) {
        var funnels = new LinkedHashMap<Campaign, ShownFunnel>();
        for (var campaign : campaigns.list()) {
            funnels.put(campaign, funnel(campaign));
        }
        access.record("campaigns.read", null, Outcome.SUCCEEDED);
        model.addAttribute("campaigns", funnels);
        model.addAttribute("languages", SiteLanguage.all());
        model.addAttribute("channels", Campaign.CHANNELS);
        return "console/campaigns";
    }

    @PostMapping
    String create(@RequestParam String name, @RequestParam String language,
            @RequestParam(required = false) String audience,
            @RequestParam(required = false) List<String> channels,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate until,
            RedirectAttributes flash) {
        try {
            var created = campaigns.create(new NewCampaign(name, language, audience,
                    channels == null ? null : new LinkedHashSet<>(channels), from, until));
            access.record("campaigns.create", created.id().value().toString(), Outcome.SUCCEEDED);
            flash.addFlashAttribute("notice", text.text("console.campaigns.created", created.name()));
            return "redirect:" + PATH + "/" + created.id().value();
        } catch (InvalidCampaign e) {
            access.record("campaigns.create", null, Outcome.REFUSED);
            flash.addFlashAttribute("problem", text.text("console.campaigns.refused." + e.code()));
            return "redirect:" + PATH;
        }
    }

    @GetMapping("/{id}")
    String show(@PathVariable UUID id, Model model) {
        var campaign = campaign(id);
        model.addAttribute("campaign", campaign);
        model.addAttribute("entryPoints", campaigns.entryPoints(campaign));
        model.addAttribute("funnel", funnel(campaign));
        access.record("campaigns.read", campaign.id().value().toString(), Outcome.SUCCEEDED);
        return "console/campaign";
    }

    /**
     * The QR code of its {@code n}-th entry point, as {@code campaigns create} writes it: recorded as a look at the
     * campaign ({@code campaigns.qr}, with its id only).
     */
    @GetMapping(path = "/{id}/qr/{n}", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> qrCode(@PathVariable UUID id, @PathVariable int n) throws IOException {
        var campaign = campaign(id);
        var entryPoints = campaigns.entryPoints(campaign);
        if (n < 0 || n >= entryPoints.size()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        var png = new ByteArrayOutputStream();
        ImageIO.write(QrCodes.image(entryPoints.get(n).link(), 8), "png", png);
        access.record("campaigns.qr", campaign.id().value().toString(), Outcome.SUCCEEDED);
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(png.toByteArray());
    }

    @PostMapping("/{id}/active")
    String setActive(@PathVariable UUID id, @RequestParam boolean active, RedirectAttributes flash) {
        campaigns.setActive(campaign(id).id(), active);
        access.record("campaigns.active", id.toString(), Outcome.SUCCEEDED);
        flash.addFlashAttribute("notice", text.text(active ? "console.campaigns.resumed" : "console.campaigns.stopped"));
        return "redirect:" + PATH + "/" + id;
    }

    private ShownFunnel funnel(Campaign campaign) {
        return ShownFunnel.of(campaigns.funnelUntilToday(campaign.id()));
    }

    private Campaign campaign(UUID id) {
        try {
            return campaigns.campaign(new CampaignId(id));
        } catch (NoSuchElementException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
    }
}
