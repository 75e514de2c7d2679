package org.lifeline.campaigns;

import static org.lifeline.cases.lifecycle.CaseStatus.HANDOVER_PLANNED;
import static org.lifeline.cases.lifecycle.CaseStatus.SURRENDERED;
import static org.lifeline.cases.lifecycle.CaseStatus.VERIFIED;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The funnel, counted in SQL over conversations and cases: the one place it is defined, for the console and for
 * reports. A case counts at a stage when its history ever reached that stage or a later one, so a request verified
 * and then closed still counts as verified. Only what is not personal is read (statuses, ids, campaign).
 */
@Repository
class CampaignFunnels {

    private static final String SQL = """
            select
                (select count(*) from conversation where campaign_id = :campaign and opened_at < :before) as started,
                count(c.id) as intake_completed,
                coalesce(sum(case when exists (select 1 from case_transition t where t.case_id = c.id
                    and t.to_status in (%s) and t.changed_at < :before) then 1 else 0 end), 0) as verified,
                coalesce(sum(case when exists (select 1 from case_transition t where t.case_id = c.id
                    and t.to_status in (%s) and t.changed_at < :before) then 1 else 0 end), 0) as handover_planned,
                coalesce(sum(case when exists (select 1 from case_transition t where t.case_id = c.id
                    and t.to_status in (%s) and t.changed_at < :before) then 1 else 0 end), 0) as surrendered
            from support_case c join conversation v on v.id = c.conversation_id
            where v.campaign_id = :campaign and c.kind = '%s' and c.created_at < :before
            """.formatted(
            statuses(List.of(VERIFIED, HANDOVER_PLANNED, SURRENDERED)),
            statuses(List.of(HANDOVER_PLANNED, SURRENDERED)),
            statuses(List.of(SURRENDERED)),
            CaseKind.SURRENDER_REQUEST.name());

    private final JdbcClient jdbc;

    CampaignFunnels(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** As it stood just before {@code before}: what happened since is not counted. */
    CampaignFunnel of(CampaignId campaign, Instant before) {
        return jdbc.sql(SQL).param("campaign", campaign.value()).param("before", SqlTimestamps.of(before))
                .query((rs, n) -> new CampaignFunnel(rs.getLong("started"), rs.getLong("intake_completed"),
                        rs.getLong("verified"), rs.getLong("handover_planned"), rs.getLong("surrendered")))
                .single();
    }

    private static String statuses(List<CaseStatus> statuses) {
        return statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
