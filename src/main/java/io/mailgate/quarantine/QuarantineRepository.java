package io.mailgate.quarantine;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface QuarantineRepository extends JpaRepository<QuarantineEntity, Long> {

    Optional<QuarantineEntity> findByConnectionIdAndSourcePosition(Long connectionId, String sourcePosition);

    Optional<QuarantineEntity> findByIdAndOrgId(long id, long orgId);

    List<QuarantineEntity> findByOrgIdAndIdGreaterThanOrderById(long orgId, long after, Limit limit);

    List<QuarantineEntity> findByOrgIdAndIdLessThanOrderByIdDesc(long orgId, long before, Limit limit);

    long countByConnectionIdAndStatus(Long connectionId, QuarantineEntity.Status status);
}
