package org.lifeline.telephony;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a TwiML document against the verbs, nouns, attributes and nesting Twilio documents
 * (https://www.twilio.com/docs/voice/twiml): the root is {@code <Response>}; each verb may carry only its
 * documented attributes, with values of the documented kind; {@code <Gather>} nests only {@code <Say>},
 * {@code <Play>} and {@code <Pause>}; {@code <Dial>} holds a number or its nouns ({@code <Number>}, {@code <Sip>},
 * {@code <Client>}, {@code <Queue>}); verbs that take no content ({@code <Record>}, {@code <Hangup>}, {@code <Pause>},
 * {@code <Leave>}) have none; text that must be a URL is an absolute one; a queue's name (in {@code <Enqueue>} or
 * {@code <Queue>}) is at most 64 characters. Which verbs a document may hold depends on who asked for it: a call's
 * own documents take every verb but {@code <Leave>}; an {@code <Enqueue>} waitUrl's (and its {@code <Gather>}
 * action's, still in the queue) only {@code <Play>}, {@code <Say>}, {@code <Pause>}, {@code <Hangup>},
 * {@code <Redirect>}, {@code <Leave>} and {@code <Gather>}; a {@code <Queue url>}'s, played to the dequeued caller,
 * only {@code <Play>}, {@code <Say>}, {@code <Pause>} and {@code <Redirect>}. Anything else fails with a message
 * naming the problem.
 */
final class TwimlChecks {

    private TwimlChecks() {
    }

    private static final Pattern POSITIVE = Pattern.compile("[1-9][0-9]{0,4}");
    private static final Pattern NON_NEGATIVE = Pattern.compile("[0-9]{1,5}");
    private static final Pattern METHOD = Pattern.compile("GET|POST");
    private static final Pattern BOOLEAN = Pattern.compile("true|false");
    private static final Pattern KEYS = Pattern.compile("[0-9#*]{0,1}");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}-[A-Z]{2}");
    private static final Pattern VOICE = Pattern.compile("man|woman|alice|Polly\\.[A-Za-z-]+|Google\\.[a-z]{2}-[A-Z]{2}-[A-Za-z0-9-]+");
    private static final Predicate<String> URL = TwimlChecks::absoluteUrl;

    private record Rule(Map<String, Predicate<String>> attributes, Set<String> children, Content content) {
    }

    private enum Content { NONE, TEXT, URL, OPTIONAL_TEXT, QUEUE_NAME }

    private static Predicate<String> p(Pattern pattern) {
        return v -> pattern.matcher(v).matches();
    }

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("Say", new Rule(Map.of("voice", p(VOICE), "language", p(LANGUAGE), "loop", p(NON_NEGATIVE)),
                    Set.of(), Content.TEXT)),
            Map.entry("Play", new Rule(Map.of("loop", p(NON_NEGATIVE), "digits", p(Pattern.compile("[0-9w#*]+"))),
                    Set.of(), Content.URL)),
            Map.entry("Pause", new Rule(Map.of("length", p(POSITIVE)), Set.of(), Content.NONE)),
            Map.entry("Gather", new Rule(Map.of("action", URL, "method", p(METHOD), "timeout", p(POSITIVE),
                    "finishOnKey", p(KEYS), "numDigits", p(POSITIVE), "input", p(Pattern.compile("dtmf|speech|dtmf speech")),
                    "actionOnEmptyResult", p(BOOLEAN), "language", p(LANGUAGE)),
                    Set.of("Say", "Play", "Pause"), Content.NONE)),
            Map.entry("Enqueue", new Rule(Map.of("action", URL, "method", p(METHOD), "waitUrl", URL,
                    "waitUrlMethod", p(METHOD), "workflowSid", p(Pattern.compile("WW[0-9a-f]{32}"))), Set.of(), Content.QUEUE_NAME)),
            Map.entry("Dial", new Rule(Map.of("action", URL, "method", p(METHOD), "timeout", p(POSITIVE),
                    "timeLimit", p(POSITIVE), "callerId", p(E164), "hangupOnStar", p(BOOLEAN),
                    "answerOnBridge", p(BOOLEAN), "record", p(Pattern.compile("do-not-record|record-from-answer|record-from-ringing"))),
                    Set.of("Number", "Sip", "Client", "Queue"), Content.OPTIONAL_TEXT)),
            Map.entry("Number", new Rule(Map.of("url", URL, "method", p(METHOD), "sendDigits", p(Pattern.compile("[0-9w#*]+"))),
                    Set.of(), Content.TEXT)),
            Map.entry("Sip", new Rule(Map.of("url", URL, "method", p(METHOD)), Set.of(), Content.TEXT)),
            Map.entry("Client", new Rule(Map.of("url", URL, "method", p(METHOD)), Set.of(), Content.TEXT)),
            Map.entry("Queue", new Rule(Map.of("url", URL, "method", p(METHOD),
                    "reservationSid", p(Pattern.compile("WR[0-9a-f]{32}")), "postWorkActivitySid", p(Pattern.compile("WA[0-9a-f]{32}"))),
                    Set.of(), Content.QUEUE_NAME)),
            Map.entry("Record", new Rule(Map.of("action", URL, "method", p(METHOD), "timeout", p(NON_NEGATIVE),
                    "finishOnKey", p(Pattern.compile("[0-9#*]{0,12}")), "maxLength", p(POSITIVE), "playBeep", p(BOOLEAN),
                    "trim", p(Pattern.compile("trim-silence|do-not-trim")), "recordingStatusCallback", URL,
                    "recordingStatusCallbackMethod", p(METHOD), "transcribe", p(BOOLEAN)),
                    Set.of(), Content.NONE)),
            Map.entry("Redirect", new Rule(Map.of("method", p(METHOD)), Set.of(), Content.URL)),
            Map.entry("Hangup", new Rule(Map.of(), Set.of(), Content.NONE)),
            Map.entry("Leave", new Rule(Map.of(), Set.of(), Content.NONE)));

    /** Verbs that may stand directly in a call's {@code <Response>}. */
    private static final Set<String> VERBS = Set.of("Say", "Play", "Pause", "Gather", "Enqueue", "Dial", "Record",
            "Redirect", "Hangup");
    /** Verbs of a waitUrl's document (https://www.twilio.com/docs/voice/twiml/enqueue#attributes-wait-url). */
    private static final Set<String> WAIT_VERBS = Set.of("Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather");
    /** Verbs of a {@code <Queue url>}'s document (https://www.twilio.com/docs/voice/twiml/queue#attributes-url). */
    private static final Set<String> DEQUEUED_VERBS = Set.of("Play", "Say", "Pause", "Redirect");

    /** Parses and checks a call's document; returns its root. */
    static Element check(String twiml) {
        return check(twiml, VERBS);
    }

    /** Checks the document of an {@code <Enqueue>} waitUrl, or of a {@code <Gather>} action while in the queue. */
    static Element checkWait(String twiml) {
        return check(twiml, WAIT_VERBS);
    }

    /** Checks the document of a {@code <Queue url>}, played to the caller taken from the queue. */
    static Element checkDequeued(String twiml) {
        return check(twiml, DEQUEUED_VERBS);
    }

    private static Element check(String twiml, Set<String> verbs) {
        Element root;
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder().parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not XML: " + twiml, e);
        }
        if (!root.getTagName().equals("Response") || root.getAttributes().getLength() != 0) {
            throw new AssertionError("the root must be a bare <Response>: " + twiml);
        }
        for (var child : children(root, twiml)) {
            if (!verbs.contains(child.getTagName())) {
                throw new AssertionError("<" + child.getTagName() + "> is not a verb of <Response>: " + twiml);
            }
            checkElement(child, twiml);
        }
        return root;
    }

    private static void checkElement(Element element, String twiml) {
        var rule = RULES.get(element.getTagName());
        if (rule == null) {
            throw new AssertionError("unknown TwiML element <" + element.getTagName() + ">: " + twiml);
        }
        var attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            var attribute = attributes.item(i);
            var allowed = rule.attributes().get(attribute.getNodeName());
            if (allowed == null) {
                throw new AssertionError("<" + element.getTagName() + "> has no attribute " + attribute.getNodeName() + ": " + twiml);
            }
            if (!allowed.test(attribute.getNodeValue())) {
                throw new AssertionError("<" + element.getTagName() + " " + attribute.getNodeName() + "=\""
                        + attribute.getNodeValue() + "\"> is not a documented value: " + twiml);
            }
        }
        var children = children(element, twiml);
        for (var child : children) {
            if (!rule.children().contains(child.getTagName())) {
                throw new AssertionError("<" + child.getTagName() + "> may not nest in <" + element.getTagName() + ">: " + twiml);
            }
            checkElement(child, twiml);
        }
        var text = directText(element).strip();
        switch (rule.content()) {
            case NONE -> {
                if (!text.isEmpty()) {
                    throw new AssertionError("<" + element.getTagName() + "> takes no text: " + twiml);
                }
            }
            case TEXT -> {
                if (text.isEmpty()) {
                    throw new AssertionError("<" + element.getTagName() + "> needs text: " + twiml);
                }
            }
            case URL -> {
                if (!absoluteUrl(text)) {
                    throw new AssertionError("<" + element.getTagName() + "> needs an absolute URL: " + twiml);
                }
            }
            case QUEUE_NAME -> {
                if (text.isEmpty() || text.length() > 64) {
                    throw new AssertionError("<" + element.getTagName() + "> needs a queue name of 1 to 64 characters: " + twiml);
                }
            }
            case OPTIONAL_TEXT -> {
                if (!text.isEmpty() && !children.isEmpty()) {
                    throw new AssertionError("<" + element.getTagName() + "> has both a number and nouns: " + twiml);
                }
                if (text.isEmpty() && children.isEmpty()) {
                    throw new AssertionError("<" + element.getTagName() + "> dials nothing: " + twiml);
                }
            }
        }
    }

    private static boolean absoluteUrl(String value) {
        try {
            var uri = new URI(value);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<Element> children(Element element, String twiml) {
        var elements = new ArrayList<Element>();
        var nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            var node = nodes.item(i);
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                elements.add((Element) node);
            } else if (node.getNodeType() != Node.TEXT_NODE && node.getNodeType() != Node.CDATA_SECTION_NODE) {
                throw new AssertionError("unexpected node in <" + element.getTagName() + ">: " + twiml);
            }
        }
        return elements;
    }

    private static String directText(Element element) {
        var text = new StringBuilder();
        var nodes = element.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.TEXT_NODE || nodes.item(i).getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(nodes.item(i).getNodeValue());
            }
        }
        return text.toString();
    }

    /** The verbs of a document, in order (checked as any of the three kinds: check its kind first). */
    static List<String> verbs(String twiml) {
        return elements(twiml).stream().map(Element::getTagName).toList();
    }

    /** The verbs' elements of a document, in order (checked as any of the three kinds: check its kind first). */
    static List<Element> elements(String twiml) {
        var any = new java.util.HashSet<>(VERBS);
        any.addAll(WAIT_VERBS);
        return children(check(twiml, any), twiml);
    }
}
