package io.mailgate.ingest;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.stereotype.Component;

/** Spools raw messages to files while hashing them, and deletes each file when its exchange is done. */
@Component
public class RawSpool {

    /** Something that writes the raw bytes, e.g. {@code jakarta.mail.Message::writeTo}. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws Exception;
    }

    private final Path directory;
    private final Clock clock = Clock.systemUTC();

    RawSpool(IngestProperties settings) throws IOException {
        this.directory = Files.createDirectories(settings.spoolDirectory());
    }

    public RawEmail spool(Writer writer, String sourcePosition) throws Exception {
        Path file = Files.createTempFile(directory, "raw-", ".eml");
        try {
            MessageDigest sha256 = sha256();
            try (OutputStream out =
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024), sha256)) {
                writer.writeTo(out);
            }
            return new RawEmail(
                    file, Files.size(file), HexFormat.of().formatHex(sha256.digest()), sourcePosition, clock.instant());
        } catch (Exception | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public RawEmail spool(InputStream in, String sourcePosition) throws Exception {
        return spool(in::transferTo, sourcePosition);
    }

    /** A scratch file in the spool directory (decrypted copies, downloads), deleted with the exchange. */
    public Path scratchFile(String prefix) throws IOException {
        return Files.createTempFile(directory, prefix, ".tmp");
    }

    /** Deletes the file when the exchange completes, whether it succeeded or failed. */
    public static void deleteOnCompletion(Exchange exchange, Path file) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover spool file is harmless and is cleaned at the next start.
                }
            }
        });
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
