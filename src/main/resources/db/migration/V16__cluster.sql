-- Running as a cluster (issue 15). Written once for H2 2.x and PostgreSQL 15.

-- Every change to a connection (settings, secrets, trusted certificates, keys, removal) bumps its generation in
-- the transaction of the change. Each node compares these with the generations its routes were made from, and
-- replaces, adds or removes routes for what changed through other nodes. No foreign key: a deleted connection's
-- last generation tells the nodes to remove its route.
CREATE TABLE connection_route_generations (
    connection_id BIGINT NOT NULL PRIMARY KEY,
    generation    BIGINT NOT NULL
);
INSERT INTO connection_route_generations (connection_id, generation) SELECT id, 1 FROM connections;

-- A value encrypted with the master key on the first start: a node started with another key cannot decrypt it and
-- refuses to start, instead of failing on every secret it reads.
CREATE TABLE master_key_check (
    id          INT           NOT NULL PRIMARY KEY,
    check_value VARCHAR(200)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The nodes that have started, and when (the coordinator says which are alive).
CREATE TABLE cluster_nodes (
    node_id    VARCHAR(100) NOT NULL PRIMARY KEY,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL
);
