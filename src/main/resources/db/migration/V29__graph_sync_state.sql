-- Where each Microsoft 365 connection's delta query on its folder goes on (issue 16 item 6): the @odata.deltaLink of
-- the last round whose messages were all taken. Opaque and no secret (Graph's sync-state token, never an access
-- token); losing it only costs a full round. H2 2.x and PostgreSQL 15.
CREATE TABLE graph_sync_state (
    connection_id BIGINT        NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    folder_id     VARCHAR(512)  NOT NULL,
    delta_link    VARCHAR(8000) NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (connection_id, folder_id)
);
