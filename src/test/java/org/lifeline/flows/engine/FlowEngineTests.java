package org.lifeline.flows.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;

import mil.nga.grid.features.Point;
import mil.nga.mgrs.MGRS;
import org.junit.jupiter.api.Test;
import org.lifeline.testing.ManualClock;

class FlowEngineTests {

    private final FlowRegistry registry = FlowLibrary.load((Path) null).registry();
    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final FlowEngine engine = new FlowEngine(registry, clock);

    @Test
    void takesTheLanguageFromTheCampaignBeforeTheChannelHint() {
        var step = engine.start("main", new Entry("leaflet-7", "ko", "ru-RU", true));

        assertThat(step.session().language()).isEqualTo("ko");
        assertThat(step.session().campaign()).isEqualTo("leaflet-7");
        assertThat(step.outputs().getFirst().key()).isEqualTo("menu.ask");
    }

    @Test
    void asksTheLanguageInEveryLanguageWhenTheHintIsUnknown() {
        var step = engine.start("main", Entry.of("de", true));

        assertThat(step.session().pending()).isEqualTo(Session.Pending.LANGUAGE);
        var question = (Output.Question) step.outputs().getFirst();
        assertThat(question.text()).contains("Выберите язык.", "언어를 고르십시오.", "Choose a language.", "Оберіть мову.");
        assertThat(question.options()).extracting(Output.Option::label).as("the menu's order")
                .containsExactly("Русский", "조선말", "Українська", "English");

        var chosen = engine.handle(step.session(), new Input.Text("Українська"));
        assertThat(chosen.session().language()).isEqualTo("uk");
        assertThat(chosen.outputs().getFirst().key()).isEqualTo("menu.ask");
    }

    @Test
    void switchesLanguageMidFlowAndAsksTheSameQuestionAgain() {
        var step = walk(engine.start("surrender", Entry.of("ru", true)), "1");
        assertThat(step.session().node()).isEqualTo("group");

        step = walk(step, "/language", "조선말");

        assertThat(step.session().language()).isEqualTo("ko");
        assertThat(step.session().node()).isEqualTo("group");
        assertThat(step.outputs()).singleElement().extracting(Output::text).isEqualTo("혼자입니까, 다른 사람들과 함께입니까?");
    }

    @Test
    void acceptsOptionsAsButtonNumberOrLabel() {
        var start = engine.start("main", Entry.of("en", true));

        assertThat(engine.handle(start.session(), new Input.Choice("information")).session().flow()).isEqualTo("information");
        assertThat(walk(start, "3").session().flow()).isEqualTo("information");
        assertThat(walk(start, " what happens in captivity ").session().flow()).isEqualTo("information");
    }

    @Test
    void reAsksInvalidAnswersBrieflyThenOffersAPerson() {
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "2");
        assertThat(step.session().node()).isEqualTo("group_size");

        step = walk(step, "lots");
        assertThat(step.outputs()).extracting(Output::text)
                .containsExactly("Send a number from 2 to 100.", "How many of you are there in total, counting yourself? Send a number.");

        step = walk(step, "500", "-1");
        assertThat(step.session().pending()).isEqualTo(Session.Pending.RETRY_OFFER);
        assertThat(step.outputs()).singleElement().extracting(Output::key).isEqualTo("retry.offer");

        step = walk(step, "1");
        assertThat(step.session().status()).isEqualTo(Session.Status.HANDED_OVER);
        assertThat(step.effects()).containsExactly(new Effect.Handover(FlowEngine.GENERAL_QUEUE, "retries"));
    }

    @Test
    void opensASurrenderCaseWithLocationInBothFormsAndHandsOver() {
        var grid = MGRS.from(Point.point(37.8029, 48.0159)).coordinate();
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "2", "3", "1", "1", grid, "1", "1");

        var open = (Effect.OpenCase) step.effects().getFirst();
        assertThat(open.kind()).isEqualTo(Effect.CaseKind.SURRENDER_REQUEST);
        assertThat(open.fields()).containsEntry("group", "with_others").containsEntry("group_size", "3")
                .containsEntry("status", "front").containsEntry("location.kind", "mgrs")
                .containsEntry("location.mgrs", grid).containsEntry("when", "now")
                .containsEntry("priority", "urgent").containsKeys("location.lat", "location.lon")
                .doesNotContainKeys("name", "want");
        assertThat(Double.parseDouble(open.fields().get("location.lat"))).isCloseTo(48.0159, within(0.0001));
        assertThat(Double.parseDouble(open.fields().get("location.lon"))).isCloseTo(37.8029, within(0.0001));
        assertThat(step.effects().getLast()).isEqualTo(new Effect.Handover("surrender", "flow"));
        assertThat(step.outputs().getFirst().text()).contains("{case_reference}");
        assertThat(step.outputs().getFirst().fill(java.util.Map.of(FlowEngine.CASE_REFERENCE, "S-42")).text())
                .contains("Its number: S-42 (Latin letters and digits).", "will write to you here");
    }

    @Test
    void keepsTypedCoordinatesAndPlaceNames() {
        var atLocation = walk(engine.start("surrender", Entry.of("ru", true)), "1", "1", "1", "1");
        assertThat(atLocation.outputs().getLast()).isInstanceOf(Output.LocationRequest.class);

        assertThat(walk(atLocation, "48,0159 37,8029").session().answers())
                .containsEntry("location.lat", "48.01590").containsEntry("location.lon", "37.80290")
                .containsEntry("location.kind", "decimal").containsKey("location.mgrs");
        assertThat(engine.handle(atLocation.session(), new Input.Location(48.1, 37.2)).session().answers())
                .containsEntry("location.kind", "shared").containsEntry("location.lat", "48.10000");
        assertThat(walk(atLocation, "возле Курахово").session().answers())
                .containsEntry("location", "возле Курахово").containsEntry("location.kind", "place")
                .doesNotContainKey("location.lat");
    }

    @Test
    void skipsThePhotoQuestionOnChannelsWithoutPhotos() {
        var withPhotos = walk(engine.start("family", Entry.of("en", true)), "Ivan Petrov", "1999", "3rd brigade", "Skip", "scar");
        assertThat(withPhotos.session().node()).isEqualTo("photo");

        var withoutPhotos = walk(engine.start("family", Entry.of("en", false)), "Ivan Petrov", "1999", "3rd brigade", "Skip", "scar");
        assertThat(withoutPhotos.session().node()).isEqualTo("reply");
    }

    @Test
    void remindsOnceThenExpires() {
        var step = engine.start("main", Entry.of("en", true));

        clock.advance(Duration.ofHours(1));
        assertThat(engine.handle(step.session(), new Input.Tick()).outputs()).isEmpty();
        clock.advance(Duration.ofHours(1));
        step = engine.handle(step.session(), new Input.Tick());
        assertThat(step.outputs()).extracting(Output::key).containsExactly("timeout.reminder");
        step = engine.handle(step.session(), new Input.Tick());
        assertThat(step.outputs()).as("once").isEmpty();

        clock.advance(Duration.ofHours(22));
        step = engine.handle(step.session(), new Input.Tick());
        assertThat(step.outputs()).extracting(Output::key).containsExactly("timeout.expired");
        assertThat(step.effects()).containsExactly(new Effect.End("expired"));
        assertThat(step.session().status()).isEqualTo(Session.Status.ENDED);
    }

    @Test
    void isDueWhenATickWouldRemindOrExpireAndNotBefore() {
        var start = clock.instant();
        var step = engine.start("main", Entry.of("en", true));
        assertThat(engine.dueAt(step.session())).as("main reminds after 2h").contains(start.plus(Duration.ofHours(2)));

        clock.advance(Duration.ofHours(2).minusSeconds(1));
        assertThat(engine.handle(step.session(), new Input.Tick()).outputs()).as("a second early").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        step = engine.handle(step.session(), new Input.Tick());
        assertThat(step.outputs()).extracting(Output::key).containsExactly("timeout.reminder");
        assertThat(engine.dueAt(step.session())).as("then expiry, 24h after the last input")
                .contains(start.plus(Duration.ofHours(24)));

        clock.advance(Duration.ofHours(1));
        var answered = engine.handle(step.session(), new Input.Text("nonsense"));
        assertThat(engine.dueAt(answered.session())).as("an answer starts the wait again")
                .contains(clock.instant().plus(Duration.ofHours(2)));

        clock.advance(Duration.ofHours(24));
        var expired = engine.handle(answered.session(), new Input.Tick());
        assertThat(expired.session().status()).isEqualTo(Session.Status.ENDED);
        assertThat(engine.dueAt(expired.session())).as("nothing after the end").isEmpty();
    }

    @Test
    void isDueAtExpiryWhenAFlowOnlyExpires() {
        var step = engine.start("family", Entry.of("en", true));
        var due = engine.dueAt(step.session()).orElseThrow();
        assertThat(due).isEqualTo(clock.instant().plus(Duration.ofHours(24)));

        clock.advance(Duration.ofHours(24));
        assertThat(engine.handle(step.session(), new Input.Tick()).session().status()).isEqualTo(Session.Status.ENDED);
    }

    @Test
    void deletesAtOnceOnAKeywordOfAnyLanguage() {
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "2");

        step = walk(step, "Удалить данные");

        assertThat(step.effects()).containsExactly(new Effect.DeleteDataRequested(), new Effect.End("deleted"));
        assertThat(step.session().answers()).isEmpty();
        assertThat(step.outputs()).extracting(Output::key).containsExactly("delete.done");
        assertThat(step.outputs().getFirst().text()).as("says what is erased and that the request is withdrawn")
                .contains("messages, photos, answers", "name, date of birth, place", "request is withdrawn");
    }

    @Test
    void verifyAnswersInTheSessionsLanguageChangesNothingAndAsksTheQuestionAgain() {
        var step = walk(engine.start("surrender", Entry.of("ru", true)), "1", "2");
        var before = step.session();

        step = walk(step, "/verify");

        assertThat(step.outputs()).extracting(Output::key).containsExactly(FlowEngine.VERIFY, "group_size.ask");
        assertThat(step.outputs().getFirst().text()).startsWith("Официальные каналы {service_name} — только эти:")
                .contains("{official.telegram}", "{official.signing_key}", "/.well-known/lifeline-channels.json");
        assertThat(step.effects()).isEmpty();
        assertThat(step.session().node()).isEqualTo(before.node());
        assertThat(step.session().answers()).isEqualTo(before.answers());
        assertThat(walk(step, "проверить бота").outputs()).extracting(Output::key).containsExactly(FlowEngine.VERIFY, "group_size.ask");
    }

    @Test
    void verifyAsTheFirstMessageIsAnsweredBeforeTheStartAndOtherFirstMessagesOnlyStart() {
        var first = engine.start("main", Entry.of("ko", true), new Input.Text("/verify"));

        assertThat(first.outputs()).extracting(Output::key).containsExactly(FlowEngine.VERIFY, "menu.ask");
        assertThat(first.outputs().getFirst().text()).startsWith("{service_name}의 공식련락통로는 이것뿐입니다:");
        assertThat(engine.start("main", Entry.of("ko", true), new Input.Text("/delete")).outputs())
                .extracting(Output::key).containsExactly("menu.ask");
    }

    @Test
    void verifyAfterTheHandoverOnlyAnswers() {
        var step = walk(engine.start("main", Entry.of("en", true)), "/human");

        assertThat(walk(step, "/verify").outputs()).extracting(Output::key).containsExactly(FlowEngine.VERIFY);
    }

    @Test
    void startsOverFromTheEntryFlowAndHandsOverOnRequest() {
        var step = walk(engine.start("main", Entry.of("en", true)), "1", "1");
        assertThat(step.session().flow()).isEqualTo("surrender");

        step = walk(step, "/restart");
        assertThat(step.session().flow()).isEqualTo("main");
        assertThat(step.session().answers()).isEmpty();

        step = walk(step, "operator");
        assertThat(step.effects()).containsExactly(new Effect.Handover(FlowEngine.GENERAL_QUEUE, "requested"));
    }

    @Test
    void aSessionFinishesOnTheVersionItStarted() {
        var first = registry.latest("information");
        var step = engine.start("information", Entry.of("en", true));
        var sources = new HashMap<>(first.sources());
        var treatment = "- {id: treatment, label: treatment.label, next: treatment}";
        var food = "- {id: food, label: food.label, next: food}";
        var firstDays = "- {id: first_days, label: first_days.label, next: first_days}";
        sources.put("information/information.yaml", sources.get("information/information.yaml").replace("version: 2", "version: 3")
                .replace(treatment, "FIRST").replace(firstDays, treatment).replace("FIRST", firstDays));
        registry.register(FlowLibrary.fromSources(sources));

        assertThat(walk(step, "1").outputs().getFirst().key()).as("still v2: option 1 is treatment").isEqualTo("treatment.text");
        assertThat(walk(engine.start("information", Entry.of("en", true)), "1").outputs().getFirst().key())
                .as("new sessions take v3").isEqualTo("first_days.text");
    }

    @Test
    void refusesToReplaceALoadedVersionWithDifferentContent() {
        var sources = new HashMap<>(registry.latest("main").sources());
        sources.put("main/en.yaml", sources.get("main/en.yaml").replace("Surrender", "Give up"));

        assertThatThrownBy(() -> registry.register(FlowLibrary.fromSources(sources)))
                .hasMessageContaining("give the changed flow a new version");
    }

    @Test
    void refusesTheExamplesAndImpossibleCoordinatesButKeepsOtherGridSystems() {
        var atLocation = walk(engine.start("surrender", Entry.of("en", true)), "1", "1", "1", "1");
        var question = atLocation.outputs().getLast().text();
        assertThat(question).contains(Locations.EXAMPLE_DECIMAL, Locations.EXAMPLE_MGRS);

        for (var pasted : new String[] {Locations.EXAMPLE_DECIMAL, Locations.EXAMPLE_MGRS, "43.123 33.568", "36TWN4618774674"}) {
            var step = walk(atLocation, pasted);
            assertThat(step.session().node()).as(pasted).isEqualTo("location");
            assertThat(step.session().answers()).doesNotContainKey("location");
            assertThat(step.outputs()).extracting(Output::key).containsExactly("invalid.location.example", "location.ask");
        }
        var impossible = walk(atLocation, "95.1234, 200.5678");
        assertThat(impossible.outputs()).extracting(Output::key).containsExactly("invalid.location", "location.ask");

        assertThat(walk(atLocation, "СК-42: X=5412345 Y=7345678").session().answers())
                .containsEntry("location", "СК-42: X=5412345 Y=7345678").containsEntry("location.kind", "other-grid");
    }

    @Test
    void labelsTheLocationButtonAsSendingTheExactPosition() {
        var atLocation = walk(engine.start("surrender", Entry.of("ko", true)), "1", "1", "1", "1");

        assertThat(atLocation.outputs().getLast()).isInstanceOfSatisfying(Output.LocationRequest.class,
                request -> assertThat(request.buttonLabel()).isEqualTo("📍 나의 정확한 위치 보내기"));
    }

    @Test
    void anUnknownPositionGoesOnWithoutOneForTheOperatorToWorkOut() {
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "1", "1", "2");

        assertThat(step.outputs()).extracting(Output::key).containsExactly("location_unknown.notice", "when.ask");
        step = walk(step, "1", "1");
        var open = (Effect.OpenCase) step.effects().getFirst();
        assertThat(open.fields()).containsEntry("where", "unknown").doesNotContainKey("location");
    }

    @Test
    void acceptsKoreanDateForms() {
        var atBirthDate = walk(engine.start("surrender", Entry.of("ko", true)), "1", "1", "2", "김철");
        assertThat(atBirthDate.session().node()).isEqualTo("birth_date");

        for (var typed : new String[] {"1999.3.21", "1999. 3. 21.", "1999년 3월 21일", "1999.03.21", "21.03.1999", "1999-03-21"}) {
            assertThat(walk(atBirthDate, typed).session().answers()).as(typed).containsEntry("birth_date", "1999-03-21");
        }
        assertThat(walk(atBirthDate, "1999년").session().answers()).containsEntry("birth_date", "1999");
        assertThat(walk(atBirthDate, "1999년 2월 30일").session().node()).as("no such day").isEqualTo("birth_date");
    }

    @Test
    void preRegistrationLetsTheNameBeSkipped() {
        var atName = walk(engine.start("surrender", Entry.of("en", true)), "1", "1", "2");
        assertThat(atName.outputs()).extracting(Output::key).containsExactly("preregistration.notice", "name.ask");
        assertThat(atName.outputs().getFirst().text()).contains("only so that");

        var skipped = walk(atName, "Skip");
        assertThat(skipped.session().node()).isEqualTo("birth_date");
        assertThat(skipped.session().answers()).doesNotContainKey("name");
    }

    @Test
    void goesBackToThePreviousQuestionAndForgetsItsAnswer() {
        var step = walk(engine.start("surrender", Entry.of("ru", true)), "1", "2", "4");
        assertThat(step.session().node()).isEqualTo("status");

        step = walk(step, "/back");
        assertThat(step.session().node()).isEqualTo("group_size");
        assertThat(step.session().answers()).doesNotContainKey("group_size").containsEntry("group", "with_others");
        assertThat(step.outputs()).extracting(Output::key).containsExactly("group_size.ask");

        step = walk(step, "назад", "1");
        assertThat(step.session().node()).as("went back to the group question and answered alone").isEqualTo("status");
        assertThat(step.session().answers()).containsEntry("group", "alone");

        step = walk(step, "/back", "/back", "/back");
        assertThat(step.session().node()).isEqualTo("want");
        assertThat(step.outputs()).extracting(Output::key).containsExactly("back.none", "want.ask");
    }

    @Test
    void commandsWorkInsideTheSurrenderFlow() {
        var atLocation = walk(engine.start("surrender", Entry.of("en", true)), "1", "1", "1", "1");
        assertThat(engine.start("surrender", Entry.of("en", true)).outputs()).extracting(Output::key)
                .containsExactly("safety.notice", "commands.notice", "want.ask");
        assertThat(engine.start("surrender", Entry.of("en", true)).outputs().get(1).text())
                .contains("/back", "/human", "/delete");

        assertThat(walk(atLocation, "/human").effects()).containsExactly(new Effect.Handover(FlowEngine.GENERAL_QUEUE, "requested"));
        assertThat(walk(atLocation, "/back").session().node()).isEqualTo("where");
        assertThat(walk(atLocation, "/delete").effects()).containsExactly(new Effect.DeleteDataRequested(), new Effect.End("deleted"));
        assertThat(engine.isCommand(atLocation.session(), new Input.Text("/delete"))).isTrue();
        assertThat(engine.isCommand(atLocation.session(), new Input.Text("뒤로"))).isTrue();
        assertThat(engine.isCommand(atLocation.session(), new Input.Text("near the river"))).isFalse();
    }

    @Test
    void anotherWayOfContactIsNotToldThatTheOperatorWritesHere() {
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "1", "1", "2", "2", "2", "Signal: @someone");

        assertThat(step.outputs()).extracting(Output::key).containsExactly("confirm.front_other");
        assertThat(step.outputs().getFirst().text()).contains("the way you gave").doesNotContain("write to you here");
        var here = walk(engine.start("surrender", Entry.of("en", true)), "1", "1", "1", "2", "2", "1");
        assertThat(here.outputs()).extracting(Output::key).containsExactly("confirm.front");
    }

    private Step walk(Step step, String... typed) {
        for (var text : typed) {
            step = engine.handle(step.session(), new Input.Text(text));
        }
        return step;
    }
}
