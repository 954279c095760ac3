package io.mailgate.connection;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface TrustedCertificateRepository extends JpaRepository<TrustedCertificateEntity, Long> {

    List<TrustedCertificateEntity> findByConnectionIdOrderById(long connectionId);

    Optional<TrustedCertificateEntity> findByConnectionIdAndSha256(long connectionId, String sha256);
}
