package io.mailgate.component.msgraph;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an endpoint keeps the delta link of its folder between rounds (and restarts): the link is opaque and no
 * secret (Graph's token, not an access token), but it alone says which changes the connection has seen.
 */
public interface GraphDeltaStore {

    /** The link that starts the next round on this folder, or null for a full round. */
    String deltaLink(String folderId);

    /** Keeps the link for the next round; called only once every message of the round before it was taken. */
    void save(String folderId, String deltaLink);

    /** Forgets the folder's link: the next round is a full one. */
    void clear(String folderId);

    /** A store in memory, for an endpoint not given one: a restart begins with a full round. */
    static GraphDeltaStore inMemory() {
        Map<String, String> links = new ConcurrentHashMap<>();
        return new GraphDeltaStore() {
            @Override
            public String deltaLink(String folderId) {
                return links.get(folderId);
            }

            @Override
            public void save(String folderId, String deltaLink) {
                links.put(folderId, deltaLink);
            }

            @Override
            public void clear(String folderId) {
                links.remove(folderId);
            }
        };
    }
}
