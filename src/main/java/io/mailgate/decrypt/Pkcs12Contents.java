package io.mailgate.decrypt;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** The private keys and certificates found in a PKCS#12 file, in file order. */
record Pkcs12Contents(List<PrivateKey> privateKeys, List<X509Certificate> certificates) {}
