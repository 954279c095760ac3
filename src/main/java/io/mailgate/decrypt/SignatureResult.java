package io.mailgate.decrypt;

/** The verdict on one signature layer. */
record SignatureResult(SignatureStatus status, String signer, String signerCertificateSubject) {

    static SignatureResult of(SignatureStatus status) {
        return new SignatureResult(status, null, null);
    }
}
