package io.mailgate.web;

import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.springframework.stereotype.Component;

/**
 * Certificate subjects and issuers as a person reads them: {@code O=self-signed, test only} rather than the
 * RFC 2253 form {@code O=self-signed\, test only} the certificate code keeps (escaped, for exact comparison).
 * Used by the templates as {@code @distinguishedNames.readable(…)}.
 */
@Component("distinguishedNames")
class DistinguishedNames {

    /** Each attribute as TYPE=value with its value unescaped, most specific (CN) first as in RFC 2253. */
    public String readable(String rfc2253) {
        if (rfc2253 == null || rfc2253.isBlank()) {
            return rfc2253;
        }
        try {
            List<Rdn> rdns = new LdapName(rfc2253).getRdns(); // least specific first
            List<String> parts = new ArrayList<>();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                parts.add(rdn.getType() + "=" + rdn.getValue());
            }
            return String.join(", ", parts);
        } catch (InvalidNameException | ClassCastException e) {
            return rfc2253; // not a name LDAP can parse: shown as it is
        }
    }
}
