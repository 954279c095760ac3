package io.mailgate.secret;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a master key other than the one the database's secrets were written with. Nodes of a
 * cluster share one database and must share one MAILGATE_MASTER_KEY; a node with another key would otherwise start,
 * then fail on every mailbox password it reads, and encrypt new secrets that the other nodes cannot read. The first
 * start stores a check value encrypted with the key; later starts must decrypt it. A database that already holds
 * secrets from before the check must decrypt one of them before the check value is written.
 */
@Component
class MasterKeyCheck implements InitializingBean {

    static final String CONTEXT = "master-key-check";
    private static final String PLAINTEXT = "mailgate master key check";

    private final JdbcTemplate jdbc;
    private final SecretCipher cipher;

    MasterKeyCheck(JdbcTemplate jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> stored = jdbc.queryForList("SELECT check_value FROM master_key_check WHERE id = 1", String.class);
        if (stored.isEmpty()) {
            firstStart();
            return;
        }
        if (!opens(stored.get(0))) {
            throw new MasterKeyMismatchException("This node's master key (MAILGATE_MASTER_KEY, or the key file "
                    + "mailgate.master-key-file) is not the key this database's secrets were written with. Start "
                    + "every node with the same MAILGATE_MASTER_KEY; mailgate does not start with another key.");
        }
    }

    private void firstStart() {
        List<Object[]> existing = jdbc.query(
                "SELECT s.ciphertext, c.org_id, c.api_name, s.name FROM connection_secrets s "
                        + "JOIN connections c ON c.id = s.connection_id ORDER BY s.connection_id, s.name",
                (rs, n) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)});
        if (!existing.isEmpty()) {
            Object[] secret = existing.get(0);
            try {
                cipher.decrypt((String) secret[0], "connection:" + secret[1] + ":" + secret[2] + ":" + secret[3]);
            } catch (SecretUnreadableException e) {
                throw new MasterKeyMismatchException("This node's master key (MAILGATE_MASTER_KEY, or the key file "
                        + "mailgate.master-key-file) cannot decrypt the secrets already in this database. Start with "
                        + "the key they were written with.");
            }
        }
        try {
            jdbc.update(
                    "INSERT INTO master_key_check (id, check_value, created_at) VALUES (1, ?, ?)",
                    cipher.encrypt(PLAINTEXT, CONTEXT),
                    OffsetDateTime.now(ZoneOffset.UTC));
        } catch (DuplicateKeyException anotherNode) {
            // another node's first start at the same moment: check against its value
            afterPropertiesSet();
        }
    }

    private boolean opens(String checkValue) {
        try {
            return PLAINTEXT.equals(cipher.decryptString(checkValue, CONTEXT));
        } catch (SecretUnreadableException e) {
            return false;
        }
    }
}
