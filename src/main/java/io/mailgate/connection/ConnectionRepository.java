package io.mailgate.connection;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ConnectionRepository extends JpaRepository<ConnectionEntity, Long> {

    Optional<ConnectionEntity> findByOrgIdAndApiName(long orgId, String apiName);

    List<ConnectionEntity> findByOrgIdOrderByApiName(long orgId);

    List<ConnectionEntity> findByEnabledTrue();
}
