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
 * Raw messages in the database, streamed in and out, so a large message is never held whole in memory. Writes join
 * the caller's transaction: the raw bytes commit together with the message or quarantine entry that refers to them.
 *
 * <p>On H2, a BLOB through JDBC's Blob API. On PostgreSQL, a message of usual size is an uncompressed {@code bytea}
 * in the row itself ({@code inline_content}, up to {@link #POSTGRES_INLINE_MAX}) and a larger one a large object
 * ({@code content}): a large object is the only way to stream 100 MB through PgJDBC, but it costs the server about
 * three times the CPU of a bytea value (issue 13), and that CPU is spent on the single committer's path.
 */
@Component
public class RawContentStore {

    @FunctionalInterface
    public interface StreamConsumer {
        void accept(InputStream in) throws IOException;
    }

    /**
     * On PostgreSQL, a message up to this size is stored as a {@code bytea} value in its row. The driver reads such a
     * value whole into memory when it is downloaded, hence the bound; most mail is far smaller (87 kB on average in
     * the benchmark's corpus). The column is {@code STORAGE EXTERNAL}: not compressed, since most of a message's bytes
     * are base64 of files that are compressed already; pglz mostly failed to compress them and storing them with it
     * took four times as long (1,000 messages of the benchmark's corpus: 1.69 s against 0.43 s; as large objects
     * 1.22 s).
     */
    public static final long POSTGRES_INLINE_MAX = 1024L * 1024;

    /**
     * On PostgreSQL, a larger message up to this size is sent as one bytea parameter that the INSERT itself turns
     * into a large object ({@code lo_from_bytea}): one round trip. The driver's Blob API, used above this size,
     * creates, opens and closes a large object in a round trip each and writes it 8 kB per round trip (PgJDBC 42.7).
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
        Storage storage = Storage.of(postgres, raw.size());
        String sql = switch (storage) {
            case INLINE -> "INSERT INTO raw_content (size, sha256, inline_content) VALUES (?, ?, ?)";
            case LARGE_OBJECT_FROM_PARAMETER ->
                "INSERT INTO raw_content (size, sha256, content) VALUES (?, ?, lo_from_bytea(0, ?))";
            case BLOB -> "INSERT INTO raw_content (size, sha256, content) VALUES (?, ?, ?)";
        };
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    PreparedStatement insert = connection.prepareStatement(sql, new String[] {"id"});
                    insert.setLong(1, raw.size());
                    insert.setString(2, raw.sha256());
                    try {
                        // The driver reads the stream while executing; closed by the driver or with the statement.
                        InputStream content = Files.newInputStream(raw.file());
                        if (storage == Storage.BLOB) {
                            insert.setBlob(3, content, raw.size());
                        } else {
                            insert.setBinaryStream(3, content, (int) raw.size());
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
                    postgres
                            ? "SELECT content, inline_content FROM raw_content WHERE id = ?"
                            : "SELECT content FROM raw_content WHERE id = ?",
                    rs -> {
                        // a row holds its bytes in exactly one of the two columns (PostgreSQL's CHECK)
                        InputStream inline = postgres ? rs.getBinaryStream(2) : null;
                        Blob blob = inline == null ? rs.getBlob(1) : null;
                        try (InputStream in = inline != null ? inline : blob.getBinaryStream()) {
                            consumer.accept(in);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            if (blob != null) {
                                blob.free();
                            }
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

    /** Where a message's bytes go, by database and size. */
    enum Storage {
        /** PostgreSQL, up to {@link #POSTGRES_INLINE_MAX}: a bytea value in the row. */
        INLINE,
        /** PostgreSQL, up to {@link #POSTGRES_ONE_PARAMETER_MAX}: a large object made by the INSERT. */
        LARGE_OBJECT_FROM_PARAMETER,
        /** H2, and PostgreSQL above that: the driver's Blob API. */
        BLOB;

        static Storage of(boolean postgres, long size) {
            if (!postgres) {
                return BLOB;
            }
            if (size <= POSTGRES_INLINE_MAX) {
                return INLINE;
            }
            return size <= POSTGRES_ONE_PARAMETER_MAX ? LARGE_OBJECT_FROM_PARAMETER : BLOB;
        }
    }
}
