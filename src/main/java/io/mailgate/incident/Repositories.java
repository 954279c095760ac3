package io.mailgate.incident;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface IncidentRepository extends JpaRepository<IncidentEntity, Long> {

    Optional<IncidentEntity> findByIdAndOrgId(long id, long orgId);

    List<IncidentEntity> findByOrgIdAndChangeSeqGreaterThanOrderByChangeSeq(long orgId, long after, Limit limit);

    /** Most recently changed first, before a change-feed position (the analyst pages' order). */
    List<IncidentEntity> findByOrgIdAndChangeSeqLessThanOrderByChangeSeqDesc(long orgId, long before, Limit limit);
}

interface EmailMessageRepository extends JpaRepository<EmailMessageEntity, Long> {

    Optional<EmailMessageEntity> findByIdAndOrgId(long id, long orgId);

    List<EmailMessageEntity> findByIncidentIdOrderById(long incidentId);

    long countByConnectionId(Long connectionId);

    long countByIncidentId(long incidentId);

    @Query("select m from EmailMessageEntity m where m.orgId = ?1 and m.id > ?2"
            + " and (?3 is null or m.connectionApiName = ?3) and (?4 is null or m.incidentId = ?4) order by m.id")
    List<EmailMessageEntity> page(long orgId, long after, String connection, Long incidentId, Limit limit);
}

interface ArtifactRepository extends JpaRepository<ArtifactEntity, Long> {

    List<ArtifactEntity> findByIncidentIdOrderById(long incidentId);
}
