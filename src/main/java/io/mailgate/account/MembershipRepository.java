package io.mailgate.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface MembershipRepository extends JpaRepository<Membership, Long> {

    Optional<Membership> findByUserIdAndOrgId(long userId, long orgId);

    List<Membership> findAllByOrgId(long orgId);

    List<Membership> findAllByUserId(long userId);
}
