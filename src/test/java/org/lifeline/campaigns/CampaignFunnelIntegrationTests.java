package org.lifeline.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifeline.cases.lifecycle.CaseStatus.CLOSED;
import static org.lifeline.cases.lifecycle.CaseStatus.HANDOVER_PLANNED;
import static org.lifeline.cases.lifecycle.CaseStatus.IN_CONTACT;
import static org.lifeline.cases.lifecycle.CaseStatus.SEARCHING;
import static org.lifeline.cases.lifecycle.CaseStatus.SURRENDERED;
import static org.lifeline.cases.lifecycle.CaseStatus.VERIFIED;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.CloseReason;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The funnel against an independent count: conversations of two campaigns and of none, with cases taken along
 * every path the lifecycle allows (closed early, closed after verification, a plan that fell through, family
 * inquiries), counted here from the paths themselves.
 */
@SpringBootTest
@PersistenceTest
class CampaignFunnelIntegrationTests {

    /** What happens after a conversation starts: null for no case; otherwise the kind and the statuses walked. */
    private record Path(CaseKind kind, List<CaseStatus> walk) {
    }

    private static final List<Path> PATHS = List.of(
            new Path(CaseKind.SURRENDER_REQUEST, List.of()),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT)),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT, CLOSED)),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT, VERIFIED)),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT, VERIFIED, CLOSED)),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT, VERIFIED, HANDOVER_PLANNED)),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT, VERIFIED, HANDOVER_PLANNED, VERIFIED)),
            new Path(CaseKind.SURRENDER_REQUEST, List.of(IN_CONTACT, VERIFIED, HANDOVER_PLANNED, SURRENDERED)),
            new Path(CaseKind.FAMILY_INQUIRY, List.of(SEARCHING)));

    @Autowired
    CampaignManagement campaigns;

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Test
    void countsEqualAnIndependentCountOverGeneratedCases() {
        var first = campaigns.create(new NewCampaign("Funnel A " + System.nanoTime(), "ko", null, Set.of(), null, null));
        var second = campaigns.create(new NewCampaign("Funnel B " + System.nanoTime(), "ru", null, Set.of(), null, null));
        var random = new Random(14);
        var generated = new HashMap<CampaignId, List<Path>>();
        for (var i = 0; i < 120; i++) {
            var campaign = switch (random.nextInt(3)) {
                case 0 -> first;
                case 1 -> second;
                default -> null;
            };
            var path = random.nextInt(PATHS.size() + 2) < 2 ? null : PATHS.get(random.nextInt(PATHS.size()));
            generate(campaign, path);
            if (campaign != null) {
                generated.computeIfAbsent(campaign.id(), id -> new ArrayList<>()).add(path);
            }
        }

        for (var campaign : List.of(first, second)) {
            var paths = generated.getOrDefault(campaign.id(), List.of());
            var surrender = paths.stream().filter(p -> p != null && p.kind() == CaseKind.SURRENDER_REQUEST).toList();
            var expected = new CampaignFunnel(paths.size(), surrender.size(),
                    surrender.stream().filter(p -> p.walk().contains(VERIFIED)).count(),
                    surrender.stream().filter(p -> p.walk().contains(HANDOVER_PLANNED)).count(),
                    surrender.stream().filter(p -> p.walk().contains(SURRENDERED)).count());
            assertThat(campaigns.funnel(campaign.id())).as(campaign.name()).isEqualTo(expected);
            assertThat(expected.surrendered()).as("the generated data reach the end of the funnel").isPositive();
        }
        var unused = campaigns.create(new NewCampaign("Funnel C " + System.nanoTime(), "en", null, Set.of(), null, null));
        assertThat(campaigns.funnel(unused.id())).isEqualTo(new CampaignFunnel(0, 0, 0, 0, 0));
    }

    private void generate(Campaign campaign, Path path) {
        var contact = conversations.findOrCreateContact("telegram", "funnel-" + UUID.randomUUID(), "ru");
        var conversation = conversations.openOrResumeConversation(contact, "ru", null,
                campaign == null ? null : campaign.id().value());
        if (path == null) {
            return;
        }
        var opened = cases.open(path.kind(), contact, conversation, Map.of(), "flow");
        var version = opened.version();
        for (var status : path.walk()) {
            var change = status == CLOSED ? StatusChange.close(CloseReason.WITHDRAWN) : StatusChange.to(status);
            version = cases.transition(opened.id(), change, null, "operator", version).version();
        }
    }
}
