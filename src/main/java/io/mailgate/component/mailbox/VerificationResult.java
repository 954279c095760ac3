package io.mailgate.component.mailbox;

import java.util.List;
import org.apache.camel.component.extension.ComponentVerifierExtension;
import org.apache.camel.component.extension.ComponentVerifierExtension.VerificationError;

/**
 * A verifier's result that also carries what a successful connectivity check found (the folder and its unread
 * count), which Camel's {@link ComponentVerifierExtension.Result} has no place for; the connection test shows it.
 *
 * @param <T> what the check found: the source's own outcome
 */
public final class VerificationResult<T> implements ComponentVerifierExtension.Result {

    private final ComponentVerifierExtension.Scope scope;
    private final Status status;
    private final List<VerificationError> errors;
    private final T outcome;

    public VerificationResult(ComponentVerifierExtension.Scope scope, List<VerificationError> errors, T outcome) {
        this.scope = scope;
        this.errors = List.copyOf(errors);
        this.status = errors.isEmpty() ? Status.OK : Status.ERROR;
        this.outcome = outcome;
    }

    @Override
    public ComponentVerifierExtension.Scope getScope() {
        return scope;
    }

    @Override
    public Status getStatus() {
        return status;
    }

    @Override
    public List<VerificationError> getErrors() {
        return errors;
    }

    /** The source's own outcome of the check (null when the parameters were refused before it ran). */
    public T outcome() {
        return outcome;
    }

    @Override
    public String toString() {
        return "VerificationResult[" + scope + ", " + status + ", " + errors + "]";
    }
}
