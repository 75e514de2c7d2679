package org.lifeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.lifeline.cases.CaseManagement;
import org.lifeline.cases.lifecycle.CaseKind;
import org.lifeline.cases.lifecycle.CaseStatus;
import org.lifeline.cases.lifecycle.StatusChange;
import org.lifeline.conversations.ConversationManagement;
import org.lifeline.testing.DatabaseRows;
import org.lifeline.testing.PersistenceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Writes recognizable personal data through every module, then searches every column of every table for it. */
@SpringBootTest
@PersistenceTest
class PlaintextAtRestIntegrationTests {

    private static final String PHONE = "+79161234567";
    private static final String NAME = "Алексей Смирнов";
    private static final String KOREAN = "저는 항복하고 싶습니다";
    private static final String ENTRY_CODE = "qr-seoul-leaflet-2025";
    private static final String UNIT = "в/ч 64055";
    private static final String CALL_SIGN = "Бурый";

    @Autowired
    ConversationManagement conversations;

    @Autowired
    CaseManagement cases;

    @Autowired
    JdbcClient jdbc;

    @Test
    void noTableHoldsPersonalDataOrMessageTextInTheClear() {
        var contact = conversations.findOrCreateContact("whatsapp", PHONE, "ru");
        var conversation = conversations.openOrResumeConversation(contact, null, ENTRY_CODE);
        conversations.recordInbound(conversation, "Меня зовут " + NAME + ", я из " + UNIT, "wamid.1");
        conversations.recordInbound(conversation, KOREAN, "wamid.2");
        conversations.recordOutbound(conversation, NAME + ", мы вам поможем");
        var details = new LinkedHashMap<String, String>();
        details.put("name", NAME);
        details.put("unit", UNIT);
        details.put("phone", PHONE);
        var opened = cases.open(CaseKind.SURRENDER_REQUEST, contact, conversation, details, "flow");
        cases.transition(opened.id(), StatusChange.to(CaseStatus.IN_CONTACT), "Позывной " + CALL_SIGN,
                "operator.anna", opened.version());

        var rows = rawRows();

        assertThat(rows).as("rows were read from every table").hasSizeGreaterThan(5);
        for (var secret : List.of(PHONE, PHONE.substring(2), NAME, "Смирнов", KOREAN, "항복", ENTRY_CODE, UNIT,
                CALL_SIGN)) {
            var hex = HexFormat.of().formatHex(secret.getBytes(UTF_8));
            assertThat(rows).as("raw database rows").noneMatch(value -> value.contains(secret)
                    || value.toLowerCase(Locale.ROOT).contains(hex));
        }
    }

    private List<String> rawRows() {
        assertThat(DatabaseRows.tables(jdbc)).contains("contact", "conversation", "message", "support_case",
                "case_transition", "data_key");
        return DatabaseRows.values(jdbc);
    }
}
