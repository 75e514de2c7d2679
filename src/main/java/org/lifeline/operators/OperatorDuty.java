package org.lifeline.operators;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.lifeline.operators.OperatorAccounts.Account;
import org.lifeline.platform.SqlTimestamps;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who takes the phone line: each operator says whether he is on duty, which languages he speaks with callers, and
 * where a call reaches him. Calls go only to enabled, on-duty operators who may read cases and speak the caller's
 * language. Where he is reached is personal: kept encrypted under a data key of his own.
 */
@Service
public class OperatorDuty {

    /** The languages callers can choose on the phone line. */
    public static final List<String> LANGUAGES = List.of("ru", "ko", "uk", "en");
    /** A phone number in E.164, or a SIP address. */
    static final Pattern REACH_AT = Pattern.compile("\\+[1-9][0-9]{6,14}|sips?:[A-Za-z0-9._~+-]{1,64}@[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final OperatorAccounts accounts;
    private final Clock clock;

    OperatorDuty(JdbcClient jdbc, DataProtection protection, OperatorAccounts accounts, Clock clock) {
        this.jdbc = jdbc;
        this.protection = protection;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * One operator's duty.
     *
     * @param reachAt his phone number (E.164) or SIP address; null until he gives one
     */
    public record Duty(OperatorId operator, boolean onDuty, List<String> languages, String reachAt) {
        public Duty {
            languages = List.copyOf(languages);
        }
    }

    /** An operator a call can go to now. */
    public record OnDuty(OperatorId operator, String username, String reachAt) {
    }

    @Transactional(readOnly = true)
    public Duty of(OperatorId operator) {
        return jdbc.sql("select on_duty, languages, data_key_id, reach_at_enc from operator_duty where operator_id = ?")
                .param(operator.value())
                .query((rs, n) -> new Duty(operator, rs.getBoolean("on_duty"), languages(rs.getString("languages")),
                        reachAt(operator, rs.getObject("data_key_id", UUID.class), rs.getBytes("reach_at_enc"))))
                .optional()
                .orElse(new Duty(operator, false, List.of(), null));
    }

    /**
     * Changes an operator's duty. Refuses a language callers cannot choose, and an address that is neither a phone
     * number in E.164 nor a SIP address; going on duty needs at least one language and an address.
     */
    @Transactional
    public void set(OperatorId operator, boolean onDuty, List<String> languages, String reachAt) {
        var address = reachAt == null || reachAt.isBlank() ? null : reachAt.strip();
        if (!LANGUAGES.containsAll(languages)) {
            throw new InvalidAccountChange("duty-language", "Callers choose among " + String.join(", ", LANGUAGES),
                    String.join(", ", LANGUAGES));
        }
        if (address != null && !REACH_AT.matcher(address).matches()) {
            throw new InvalidAccountChange("duty-address",
                    "A phone number in international form (+…) or a SIP address (sip:name@host)");
        }
        if (onDuty && (languages.isEmpty() || address == null)) {
            throw new InvalidAccountChange("duty-incomplete",
                    "On duty needs at least one language and where calls reach you");
        }
        var sorted = LANGUAGES.stream().filter(languages::contains).toList();
        var existingKey = jdbc.sql("select data_key_id from operator_duty where operator_id = ?").param(operator.value())
                .query((rs, n) -> Optional.ofNullable(rs.getObject("data_key_id", UUID.class))).optional();
        var key = existingKey.flatMap(k -> k).map(DataKeyId::new).orElseGet(protection::newDataKey);
        var encrypted = protection.encryptOptional(key, address, context(operator));
        var now = SqlTimestamps.of(clock.instant());
        var updated = jdbc.sql("""
                update operator_duty set on_duty = ?, languages = ?, data_key_id = ?, reach_at_enc = ?, changed_at = ?
                where operator_id = ?""")
                .params(onDuty, String.join(",", sorted), key.value(), encrypted, now, operator.value()).update();
        if (updated == 0) {
            jdbc.sql("""
                    insert into operator_duty (operator_id, on_duty, languages, data_key_id, reach_at_enc, changed_at)
                    values (?, ?, ?, ?, ?, ?)""")
                    .params(operator.value(), onDuty, String.join(",", sorted), key.value(), encrypted, now).update();
        }
    }

    /**
     * The operators a caller in this language can be put through to now: enabled, allowed to read cases, on duty,
     * speaking the language, with an address. By username, so that the order is stable.
     */
    @Transactional(readOnly = true)
    public List<OnDuty> onDutyFor(String language) {
        record Row(OperatorId id, List<String> languages, UUID key, byte[] reachAt) {
        }
        var rows = jdbc.sql("select operator_id, languages, data_key_id, reach_at_enc from operator_duty where on_duty = true")
                .query((rs, n) -> new Row(new OperatorId(rs.getObject("operator_id", UUID.class)),
                        languages(rs.getString("languages")), rs.getObject("data_key_id", UUID.class),
                        rs.getBytes("reach_at_enc")))
                .list();
        return rows.stream()
                .filter(row -> row.languages().contains(language) && row.key() != null && row.reachAt() != null)
                .flatMap(row -> accounts.find(row.id()).map(Account::operator)
                        .filter(o -> o.enabled() && o.can(Permission.READ_CASE))
                        .map(o -> new OnDuty(o.id(), o.username(), reachAt(o.id(), row.key(), row.reachAt())))
                        .stream())
                .sorted(java.util.Comparator.comparing(OnDuty::username))
                .toList();
    }

    private static List<String> languages(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : Arrays.asList(stored.split(","));
    }

    private String reachAt(OperatorId operator, UUID key, byte[] encrypted) {
        return key == null ? null : protection.decryptOptional(new DataKeyId(key), encrypted, context(operator));
    }

    private static String context(OperatorId operator) {
        return "operator_duty.reach_at:" + operator.value();
    }
}
