package io.mailgate.secret;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says why a node with another master key stopped, as the one message of the failed start, without a stack trace. */
class MasterKeyMismatchAnalyzer extends AbstractFailureAnalyzer<MasterKeyMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MasterKeyMismatchException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Set MAILGATE_MASTER_KEY to the key the other nodes (and the "
                        + "database's first start) use. Do not delete master_key_check to get past this: the stored secrets "
                        + "would stay unreadable.",
                cause);
    }
}
