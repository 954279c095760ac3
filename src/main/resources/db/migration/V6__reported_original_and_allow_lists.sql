-- The reported original of a phishing report (message/rfc822, .msg, winmail.dat or an inline forward),
-- summarised as JSON beside the report itself.
ALTER TABLE email_messages ADD COLUMN reported_json TEXT;

-- Per-organization allow-lists: artifacts in these domains and address ranges are noise (our own domains,
-- internal networks) and are not attached to incidents.
CREATE TABLE artifact_allow_list (
    org_id BIGINT       NOT NULL REFERENCES organizations (id),
    kind   VARCHAR(8)   NOT NULL,
    entry  VARCHAR(300) NOT NULL,
    PRIMARY KEY (org_id, kind, entry)
);
