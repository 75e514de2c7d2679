package org.lifeline.console.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.lifeline.channels.TransitKeys;
import org.lifeline.platform.PeriodicWork;
import org.lifeline.platform.PlatformSettings;
import org.lifeline.privacy.DataKeyId;
import org.lifeline.privacy.DataProtection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.MapSession;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.stereotype.Component;

/**
 * Console sessions in the database, so that any node serves any operator's next request: no sticky sessions.
 * Spring Session's filter loads a session by the id in its cookie and saves it before the response is committed.
 * <p>
 * A copy of the database must not let anyone take over a session or read a sign-in in progress: a row is found by
 * the SHA-256 of the session id (the id is 122 random bits, so it needs no key), and the attributes (who signed in,
 * a sign-in between its two steps with a second factor being set up, the form token) are serialized and encrypted
 * under the day's transit key, bound to that hash. Only classes of Java, Spring Security, the next page's flash
 * messages and Lifeline are read back.
 * <p>
 * A session is never written back once deleted: a request that loaded it before a sign-out on another node (a
 * console's live updates stay open for minutes) only updates a row that is still there. Its attributes are written
 * only when they changed, so such a request cannot put back what a shorter one on another node took out. Expired
 * rows are deleted every few minutes; an expired one is never read before that.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
final class ConsoleSessions extends PeriodicWork implements SessionRepository<ConsoleSessions.Stored> {

    private static final Logger log = LoggerFactory.getLogger(ConsoleSessions.class);
    private static final String CONTEXT = "console_session.attributes:";
    /** What a session's attributes may hold; anything else is refused before it is built. */
    private static final ObjectInputFilter READABLE = ObjectInputFilter.Config.createFilter(
            "maxdepth=20;maxrefs=10000;maxbytes=1048576;java.lang.*;java.util.*;java.time.*;"
                    + "java.util.concurrent.CopyOnWriteArrayList;org.springframework.security.**;"
                    + "org.springframework.web.servlet.FlashMap;org.springframework.util.*;org.lifeline.**;!*");

    /**
     * The longest a session lasts, however active: a shift. Without it a console left open on a seized or unattended
     * workstation stayed signed in for ever, since its live updates reconnect (and count as activity) by themselves.
     */
    static final Duration LONGEST = Duration.ofHours(12);

    private final JdbcClient jdbc;
    private final DataProtection protection;
    private final TransitKeys keys;
    private final Clock clock;
    private final Duration timeout;

    ConsoleSessions(JdbcClient jdbc, DataProtection protection, TransitKeys keys, Clock clock,
            PlatformSettings settings, @Value("${server.servlet.session.timeout:30m}") Duration timeout) {
        super("console-sessions", settings);
        this.jdbc = jdbc;
        this.protection = protection;
        this.keys = keys;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** A session as Spring Session sees it, and what this store needs to save it: whether a row is there yet. */
    static final class Stored implements Session {

        private final MapSession values;
        /** The id its row is stored under, {@code null} before the first save; the id changes at sign-in. */
        private String storedId;
        /** Its attributes as last saved or read. */
        private byte[] savedAttributes;

        private Stored(MapSession values, String storedId, byte[] savedAttributes) {
            this.values = values;
            this.storedId = storedId;
            this.savedAttributes = savedAttributes;
        }

        @Override
        public String getId() {
            return values.getId();
        }

        @Override
        public String changeSessionId() {
            return values.changeSessionId();
        }

        @Override
        public <T> T getAttribute(String name) {
            return values.getAttribute(name);
        }

        @Override
        public Set<String> getAttributeNames() {
            return values.getAttributeNames();
        }

        @Override
        public void setAttribute(String name, Object value) {
            values.setAttribute(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            values.removeAttribute(name);
        }

        @Override
        public Instant getCreationTime() {
            return values.getCreationTime();
        }

        @Override
        public void setLastAccessedTime(Instant at) {
            values.setLastAccessedTime(at);
        }

        @Override
        public Instant getLastAccessedTime() {
            return values.getLastAccessedTime();
        }

        @Override
        public void setMaxInactiveInterval(Duration interval) {
            values.setMaxInactiveInterval(interval);
        }

        @Override
        public Duration getMaxInactiveInterval() {
            return values.getMaxInactiveInterval();
        }

        /** Expiry is this store's: it reads the application's clock, as every other timeout does. */
        @Override
        public boolean isExpired() {
            return false;
        }
    }

    @Override
    public Stored createSession() {
        var values = new MapSession();
        var now = clock.instant();
        values.setCreationTime(now);
        values.setLastAccessedTime(now);
        values.setMaxInactiveInterval(timeout);
        return new Stored(values, null, null);
    }

    @Override
    public void save(Stored session) {
        var now = clock.instant();
        var ref = ref(session.getId());
        var attributes = serialize(session);
        var idle = now.plus(session.getMaxInactiveInterval());
        var longest = session.getCreationTime().plus(LONGEST);
        var expires = idle.isBefore(longest) ? idle : longest;
        if (session.storedId == null) {
            var key = keys.today();
            jdbc.sql("""
                    insert into console_session (id_hash, data_key_id, attributes_enc, created_at, last_accessed_at,
                        expires_at) values (?, ?, ?, ?, ?, ?)""")
                    .params(ref, key.value(), encrypt(key, attributes, ref), at(session.getCreationTime()), at(now),
                            at(expires))
                    .update();
        } else {
            var previous = ref(session.storedId);
            if (Arrays.equals(attributes, session.savedAttributes)) {
                jdbc.sql("""
                        update console_session set id_hash = ?, last_accessed_at = ?, expires_at = ?
                        where id_hash = ?""").params(ref, at(now), at(expires), previous).update();
            } else {
                // a new id re-encrypts too: the ciphertext is bound to the hash of the id it is stored under
                var key = keys.today();
                jdbc.sql("""
                        update console_session set id_hash = ?, data_key_id = ?, attributes_enc = ?,
                            last_accessed_at = ?, expires_at = ? where id_hash = ?""")
                        .params(ref, key.value(), encrypt(key, attributes, ref), at(now), at(expires), previous)
                        .update();
            }
        }
        session.storedId = session.getId();
        session.savedAttributes = attributes;
    }

    @Override
    public Stored findById(String id) {
        var ref = ref(id);
        var row = jdbc.sql("""
                        select data_key_id, attributes_enc, created_at, last_accessed_at, expires_at
                        from console_session where id_hash = ?""").param(ref)
                .query((rs, n) -> new Row(new DataKeyId(rs.getObject("data_key_id", UUID.class)),
                        rs.getBytes("attributes_enc"), instant(rs.getObject("created_at", OffsetDateTime.class)),
                        instant(rs.getObject("last_accessed_at", OffsetDateTime.class)),
                        instant(rs.getObject("expires_at", OffsetDateTime.class))))
                .optional();
        if (row.isEmpty()) {
            return null;
        }
        // (a row saved before sessions had a longest life has an expiry past it: its start tells)
        if (!row.get().expires().isAfter(clock.instant())
                || !row.get().created().plus(LONGEST).isAfter(clock.instant())) {
            deleteById(id);
            return null;
        }
        Map<String, Object> attributes;
        byte[] plain;
        try {
            plain = protection.decryptBytes(row.get().key(), row.get().attributes(), CONTEXT + hex(ref));
            attributes = deserialize(plain);
        } catch (RuntimeException | IOException | ClassNotFoundException e) {
            // a destroyed day key, or attributes an older version wrote: the operator signs in again
            log.info("A console session could not be read ({}); it is ended", e.getClass().getSimpleName());
            deleteById(id);
            return null;
        }
        var values = new MapSession(id);
        values.setCreationTime(row.get().created());
        values.setLastAccessedTime(row.get().lastAccessed());
        values.setMaxInactiveInterval(Duration.between(row.get().lastAccessed(), row.get().expires()));
        attributes.forEach(values::setAttribute);
        return new Stored(values, id, plain);
    }

    @Override
    public void deleteById(String id) {
        jdbc.sql("delete from console_session where id_hash = ?").param(ref(id)).update();
    }

    private record Row(DataKeyId key, byte[] attributes, Instant created, Instant lastAccessed, Instant expires) {
    }

    @Override
    protected Duration every() {
        return Duration.ofMinutes(5);
    }

    @Override
    protected void round() {
        jdbc.sql("delete from console_session where expires_at <= ?").param(at(clock.instant())).update();
    }

    private byte[] encrypt(DataKeyId key, byte[] attributes, byte[] ref) {
        return protection.encryptBytes(key, attributes, CONTEXT + hex(ref));
    }

    private static byte[] serialize(Stored session) {
        var attributes = new HashMap<String, Object>();
        session.getAttributeNames().forEach(name -> attributes.put(name, session.getAttribute(name)));
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(attributes);
        } catch (IOException e) {
            throw new IllegalStateException("A console session attribute cannot be stored: "
                    + e.getClass().getSimpleName());
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                var status = READABLE.checkInput(info);
                if (status == ObjectInputFilter.Status.REJECTED && info.serialClass() != null) {
                    // a class name only: what the application stored, never what a request sent
                    log.warn("A console session holds a class it may not read back: {}", info.serialClass().getName());
                }
                return status;
            });
            var read = in.readObject();
            if (!(read instanceof HashMap<?, ?> map)) {
                throw new InvalidClassException("not a map of attributes");
            }
            return (Map<String, Object>) map;
        }
    }

    private static byte[] ref(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] ref) {
        return HexFormat.of().formatHex(ref);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime at) {
        return at.toInstant();
    }
}
