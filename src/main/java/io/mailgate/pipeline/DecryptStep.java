package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.decrypt.ConnectionDecryptionKeys;
import io.mailgate.decrypt.DecryptOutcome;
import io.mailgate.decrypt.DecryptionKeys;
import io.mailgate.decrypt.MessageDecryptor;
import io.mailgate.decrypt.UndecryptableMessageException;
import io.mailgate.incident.DecryptionSummary;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RawSpool;
import io.mailgate.ingest.RejectedMessageException;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Decrypts S/MIME and PGP/MIME with the connection's keys and unwraps signed messages, writing the inner
 * message to a scratch file for the parser; the raw bytes stay exactly as fetched. A message that cannot
 * be decrypted is rejected (quarantined, naming the recipients it was encrypted for). On a connection
 * without decryption an encrypted message is stored as it is, marked encrypted.
 */
@Component("decryptStep")
class DecryptStep implements Processor {

    private final ConnectionRepository connections;
    private final ConnectionDecryptionKeys keys;
    private final MessageDecryptor decryptor;

    DecryptStep(ConnectionRepository connections, ConnectionDecryptionKeys keys, IngestProperties settings) {
        this.connections = connections;
        this.keys = keys;
        this.decryptor = new MessageDecryptor(settings.maxMessageBytes());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        var decryption = connection.getSettings().decryption();
        boolean enabled = decryption != null && decryption.enabled();
        Path out = raw.file().resolveSibling(raw.file().getFileName() + ".inner");
        RawSpool.deleteOnCompletion(exchange, out);
        DecryptOutcome outcome;
        try {
            outcome = decryptor.process(raw.file(), out, enabled ? keys.keysOf(connection) : DecryptionKeys.none());
        } catch (UndecryptableMessageException e) {
            if (!enabled && e.reason() == UndecryptableMessageException.Reason.NO_KEY) {
                exchange.setProperty(
                        ExchangePropertyNames.DECRYPTION, DecryptionSummary.encryptedNotDecrypted(e.format()));
                return;
            }
            String code = e.reason() == UndecryptableMessageException.Reason.TOO_LARGE ? "TOO_LARGE" : "UNDECRYPTABLE";
            throw new RejectedMessageException(code, e.getMessage(), e);
        }
        if (outcome.wroteOutput()) {
            exchange.setProperty(ExchangePropertyNames.PARSE_FILE, out);
        }
        String decryptedWith = outcome.decryptedWithCertificate() == null
                ? null
                : outcome.decryptedWithCertificate() + " (SHA-256 " + outcome.decryptedWithSha256() + ")";
        exchange.setProperty(
                ExchangePropertyNames.DECRYPTION,
                new DecryptionSummary(
                        outcome.encrypted(),
                        outcome.decrypted(),
                        outcome.format(),
                        decryptedWith,
                        outcome.signature().name(),
                        outcome.signer(),
                        outcome.signerCertificateSubject()));
    }
}
