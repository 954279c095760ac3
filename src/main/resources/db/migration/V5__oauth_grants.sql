-- Pending "Grant Access" sign-ins: a one-time state (stored as its SHA-256) bound to an organization,
-- a connection and the admin who started it, with the PKCE verifier encrypted.
CREATE TABLE oauth_grants (
    state_hash      VARCHAR(64)  NOT NULL PRIMARY KEY,
    org_id          BIGINT       NOT NULL REFERENCES organizations (id),
    connection_id   BIGINT       NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    requested_by    VARCHAR(200) NOT NULL,
    code_verifier   TEXT         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used            BOOLEAN      NOT NULL
);
