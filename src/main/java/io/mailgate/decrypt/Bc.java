package io.mailgate.decrypt;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance handed to the JCA builders explicitly, so that the library
 * does not register a provider JVM-wide (which would change what other code gets by default).
 */
final class Bc {

    static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {}
}
