package io.mailgate.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Blob;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Raw messages in the database, streamed in and out through JDBC's Blob API (an H2 BLOB, a PostgreSQL large
 * object), so a message is never held whole in memory. Writes join the caller's transaction: the raw bytes
 * commit together with the message or quarantine entry that refers to them.
 */
@Component
public class RawContentStore {

    @FunctionalInterface
    public interface StreamConsumer {
        void accept(InputStream in) throws IOException;
    }

    /**
     * On PostgreSQL, a message up to this size is sent as one bytea parameter that the INSERT itself turns into a
     * large object ({@code lo_from_bytea}): one round trip. The driver's Blob API, used above this size, creates,
     * opens and closes a large object in a round trip each and writes it 8 kB per round trip (PgJDBC 42.7): about
     * 14 round trips for a message of average size (87 kB), each a function call for PostgreSQL (issue 13).
     * Either way the client streams the file; the server holds at most this much of it in memory.
     */
    public static final long POSTGRES_ONE_PARAMETER_MAX = 8L * 1024 * 1024;

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    RawContentStore(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.postgres = dialect.postgres();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public long save(RawEmail raw) {
        boolean oneParameter = postgres && raw.size() <= POSTGRES_ONE_PARAMETER_MAX;
        String sql = oneParameter
                ? "INSERT INTO raw_content (size, sha256, content) VALUES (?, ?, lo_from_bytea(0, ?))"
                : "INSERT INTO raw_content (size, sha256, content) VALUES (?, ?, ?)";
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    PreparedStatement insert = connection.prepareStatement(sql, new String[] {"id"});
                    insert.setLong(1, raw.size());
                    insert.setString(2, raw.sha256());
                    try {
                        // The driver reads the stream while executing; closed by the driver or with the statement.
                        InputStream content = Files.newInputStream(raw.file());
                        if (oneParameter) {
                            insert.setBinaryStream(3, content, (int) raw.size());
                        } else {
                            insert.setBlob(3, content, raw.size());
                        }
                    } catch (IOException e) {
                        throw new SQLException("Cannot read the spooled message " + raw.file(), e);
                    }
                    return insert;
                },
                keys);
        return keys.getKeyAs(Long.class) != null
                ? keys.getKeyAs(Long.class)
                : ((Number) keys.getKeys().get("id")).longValue();
    }

    /** Streams the raw bytes to the consumer inside a (read-only) transaction, as large objects require. */
    @Transactional(readOnly = true)
    public void read(long id, StreamConsumer consumer) {
        try {
            jdbc.query(
                    "SELECT content FROM raw_content WHERE id = ?",
                    rs -> {
                        Blob blob = rs.getBlob(1);
                        try (InputStream in = blob.getBinaryStream()) {
                            consumer.accept(in);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            blob.free();
                        }
                    },
                    id);
        } catch (EmptyResultDataAccessException e) {
            throw new IllegalStateException("Raw content " + id + " is missing");
        }
    }

    /** Transactional itself: a call from read() on this same object would bypass the proxy. */
    @Transactional(readOnly = true)
    public void copyTo(long id, OutputStream out) {
        read(id, in -> in.transferTo(out));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void delete(long id) {
        jdbc.update("DELETE FROM raw_content WHERE id = ?", id);
    }
}
