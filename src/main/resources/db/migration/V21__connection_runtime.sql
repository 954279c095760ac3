-- In a cluster, what each connection's route is doing lives on the node running it; that node shares it here so
-- that every node's status, health and pages tell the same. Unused on a single node. H2 2.x and PostgreSQL 15.
CREATE TABLE connection_runtime (
    connection_id   BIGINT        NOT NULL PRIMARY KEY,
    node_id         VARCHAR(100)  NOT NULL,
    state           VARCHAR(20)   NOT NULL,
    reason          VARCHAR(2000),
    last_poll_at    TIMESTAMP WITH TIME ZONE,
    last_success_at TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(2000),
    last_error_code VARCHAR(100),
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
