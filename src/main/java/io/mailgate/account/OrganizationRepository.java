package io.mailgate.account;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface OrganizationRepository extends JpaRepository<Organization, Long> {

    Optional<Organization> findByHandle(String handle);

    boolean existsByHandle(String handle);

    List<Organization> findAllByOrderByHandleAsc();

    @Query("""
            select o from Organization o
            where o.id in (select m.orgId from Membership m where m.userId = :userId)
            order by o.handle""")
    List<Organization> findAllForMember(long userId);
}
