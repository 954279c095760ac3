package io.mailgate.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface ApiKeyRepository extends JpaRepository<ApiKey, Long> {

    Optional<ApiKey> findByKeyHash(String keyHash);

    boolean existsByOrgIdAndName(long orgId, String name);

    List<ApiKey> findAllByOrgIdOrderByIdAsc(long orgId);

    Optional<ApiKey> findByIdAndOrgId(long id, long orgId);

    /**
     * Records a use unless one was recorded after {@code notAfter}; a conditional update, so busy
     * keys cost one cheap statement a minute and concurrent requests never race.
     */
    @Transactional
    @Modifying
    @Query("""
            update ApiKey k set k.lastUsedAt = :now
            where k.id = :id and (k.lastUsedAt is null or k.lastUsedAt < :notAfter)""")
    int touch(long id, Instant now, Instant notAfter);
}
