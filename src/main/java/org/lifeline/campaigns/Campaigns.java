package org.lifeline.campaigns;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.lifeline.platform.SqlTimestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code campaign} table. */
@Repository
class Campaigns {

    private final JdbcClient jdbc;

    Campaigns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Campaign campaign) {
        jdbc.sql("""
                        insert into campaign (id, code, name, language, audience, channels, active_from, active_until,
                                              active, created_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(campaign.id().value(), campaign.code(), campaign.name(), campaign.language(),
                        campaign.audience(), String.join(",", Campaign.CHANNELS.stream()
                                .filter(campaign.channels()::contains).toList()),
                        date(campaign.from()), date(campaign.until()), campaign.active(),
                        SqlTimestamps.of(campaign.createdAt()))
                .update();
    }

    Optional<Campaign> find(CampaignId id) {
        return jdbc.sql("select * from campaign where id = ?").param(id.value()).query(Campaigns::row).optional();
    }

    Optional<Campaign> findByCode(String code) {
        return jdbc.sql("select * from campaign where code = ?").param(code).query(Campaigns::row).optional();
    }

    boolean nameTaken(String name) {
        return jdbc.sql("select count(*) from campaign where lower(name) = lower(?)").param(name)
                .query(Long.class).single() > 0;
    }

    /** The newest first. */
    List<Campaign> all() {
        return jdbc.sql("select * from campaign order by created_at desc, name").query(Campaigns::row).list();
    }

    boolean setActive(CampaignId id, boolean active) {
        return jdbc.sql("update campaign set active = ? where id = ?").params(active, id.value()).update() == 1;
    }

    private static Date date(LocalDate day) {
        return day == null ? null : Date.valueOf(day);
    }

    private static Campaign row(ResultSet rs, int rowNum) throws SQLException {
        var from = rs.getObject("active_from", LocalDate.class);
        var until = rs.getObject("active_until", LocalDate.class);
        var channels = rs.getString("channels");
        return new Campaign(new CampaignId(rs.getObject("id", UUID.class)), rs.getString("code"),
                rs.getString("name"), rs.getString("language"), rs.getString("audience"),
                channels.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(channels.split(","))),
                from, until, rs.getBoolean("active"), SqlTimestamps.read(rs, "created_at"));
    }
}
