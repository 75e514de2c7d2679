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
        assertThat(question.options()).extracting(Output.Option::label).containsExactly("English", "조선말", "Русский", "Українська");

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
                .containsExactly("Send a number from 1 to 100.", "How many people are with you, not counting you? Send a number.");

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
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "2", "3", "1", grid, "1", "1");

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
                .contains("Its number: S-42.");
    }

    @Test
    void keepsTypedCoordinatesAndPlaceNames() {
        var atLocation = walk(engine.start("surrender", Entry.of("ru", true)), "1", "1", "1");
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
        var withPhotos = walk(engine.start("family", Entry.of("en", true)), "Ivan Petrov", "1999", "3rd brigade", "scar");
        assertThat(withPhotos.session().node()).isEqualTo("photo");

        var withoutPhotos = walk(engine.start("family", Entry.of("en", false)), "Ivan Petrov", "1999", "3rd brigade", "scar");
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
    void deletesAtOnceOnAKeywordOfAnyLanguage() {
        var step = walk(engine.start("surrender", Entry.of("en", true)), "1", "2");

        step = walk(step, "Удалить данные");

        assertThat(step.effects()).containsExactly(new Effect.DeleteDataRequested(), new Effect.End("deleted"));
        assertThat(step.session().answers()).isEmpty();
        assertThat(step.outputs()).extracting(Output::text).containsExactly("Your data will be deleted. Delete this chat on your phone too.");
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
        sources.put("information/information.yaml", sources.get("information/information.yaml").replace("version: 1", "version: 2")
                .replace(treatment, "FIRST").replace(food, treatment).replace("FIRST", food));
        registry.register(FlowLibrary.fromSources(sources));

        assertThat(walk(step, "1").outputs().getFirst().key()).as("still v1: option 1 is treatment").isEqualTo("treatment.text");
        assertThat(walk(engine.start("information", Entry.of("en", true)), "1").outputs().getFirst().key())
                .as("new sessions take v2").isEqualTo("food.text");
    }

    @Test
    void refusesToReplaceALoadedVersionWithDifferentContent() {
        var sources = new HashMap<>(registry.latest("main").sources());
        sources.put("main/en.yaml", sources.get("main/en.yaml").replace("Surrender", "Give up"));

        assertThatThrownBy(() -> registry.register(FlowLibrary.fromSources(sources)))
                .hasMessageContaining("give the changed flow a new version");
    }

    private Step walk(Step step, String... typed) {
        for (var text : typed) {
            step = engine.handle(step.session(), new Input.Text(text));
        }
        return step;
    }
}
