#!/usr/bin/env bash
# Regenerates the S/MIME and PGP/MIME fixtures of io.mailgate.decrypt tests.
# Needs OpenSSL 3 and GnuPG 2.2+. Run from anywhere: ./make-fixtures.sh
# Keys are throw-away test keys; the passwords are written here on purpose.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf keys smime pgp
mkdir -p keys smime pgp
PASS=changeit
DAYS=36500   # long-lived, so the tests do not start failing in a few years

# --- A small PKI: root CA -> intermediate CA -> recipient and signer certificates ----------
cat > keys/ext.cnf <<'CNF'
[ca]
basicConstraints=critical,CA:true
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[recipient]
basicConstraints=CA:false
keyUsage=critical,keyEncipherment,keyAgreement,digitalSignature
extendedKeyUsage=emailProtection
subjectAltName=email:soc@example.com
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
[signer]
basicConstraints=CA:false
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=emailProtection
subjectAltName=email:reporter@example.org
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout keys/root.key -out keys/root.crt -days $DAYS \
  -subj "/O=Mailgate Test/CN=Mailgate Test Root CA" -addext "basicConstraints=critical,CA:true" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
issue() { # name subject extension-section issuer [keyspec...]
  local name=$1 subj=$2 ext=$3 ca=$4; shift 4
  openssl req -new -newkey "$@" -nodes -keyout keys/$name.key -out keys/$name.csr -subj "$subj" 2>/dev/null
  openssl x509 -req -in keys/$name.csr -CA keys/$ca.crt -CAkey keys/$ca.key -CAcreateserial \
    -days $DAYS -extfile keys/ext.cnf -extensions $ext -out keys/$name.crt 2>/dev/null
  rm keys/$name.csr
}
issue intermediate "/O=Mailgate Test/CN=Mailgate Test Intermediate CA" ca root rsa:2048
issue recipient-rsa "/O=Mailgate Test/CN=SOC RSA/emailAddress=soc@example.com" recipient intermediate rsa:2048
issue recipient-ec "/O=Mailgate Test/CN=SOC EC/emailAddress=soc@example.com" recipient intermediate \
  ec -pkeyopt ec_paramgen_curve:prime256v1
issue other-rsa "/O=Someone Else/CN=Other Recipient" recipient intermediate rsa:2048
issue signer "/O=Mailgate Test/CN=Reporter/emailAddress=reporter@example.org" signer intermediate rsa:2048
# A signer nobody vouches for: self-signed.
openssl req -x509 -newkey rsa:2048 -nodes -keyout keys/selfsigned-signer.key -out keys/selfsigned-signer.crt \
  -days $DAYS -subj "/CN=Unknown Sender/emailAddress=stranger@example.net" \
  -addext "subjectAltName=email:stranger@example.net" 2>/dev/null
cat keys/intermediate.crt keys/root.crt > keys/chain.crt

# The .p12 files a user uploads: key + certificate + complete chain.
openssl pkcs12 -export -inkey keys/recipient-rsa.key -in keys/recipient-rsa.crt -certfile keys/chain.crt \
  -name "soc rsa" -passout pass:$PASS -out keys/recipient-rsa.p12
openssl pkcs12 -export -inkey keys/recipient-ec.key -in keys/recipient-ec.crt -certfile keys/chain.crt \
  -name "soc ec" -passout pass:$PASS -out keys/recipient-ec.p12
# As older Windows exports them (RC2/3DES, SHA-1 MAC).
openssl pkcs12 -export -legacy -inkey keys/recipient-rsa.key -in keys/recipient-rsa.crt -certfile keys/chain.crt \
  -name "soc rsa legacy" -passout pass:$PASS -out keys/recipient-rsa-legacy.pfx
# Key and certificate only, no chain: must be refused as incomplete.
openssl pkcs12 -export -inkey keys/recipient-rsa.key -in keys/recipient-rsa.crt \
  -passout pass:$PASS -out keys/recipient-rsa-nochain.p12
# Certificates only, no key.
openssl pkcs12 -export -nokeys -in keys/recipient-rsa.crt -certfile keys/chain.crt \
  -passout pass:$PASS -out keys/certs-only.p12

# --- The inner message: text, HTML, an attachment and a forwarded message -------------------
cat > smime/inner.mime <<'MIME'
Content-Type: multipart/mixed; boundary="outer-boundary"

--outer-boundary
Content-Type: text/plain; charset=UTF-8

Please look at the attached invoice, it looks like phishing.
http://bad.example/login

--outer-boundary
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK

--outer-boundary
Content-Type: message/rfc822

From: attacker@bad.example
To: victim@example.com
Subject: Your invoice
Message-ID: <nested@bad.example>

Pay now at http://bad.example/pay
--outer-boundary--
MIME
H=(-from "Reporter <reporter@example.org>" -to "soc@example.com" -subject "Suspicious invoice")

enc() { # output cipher recipient-cert [extra...]
  local out=$1 cipher=$2 cert=$3; shift 3
  openssl cms -encrypt -in smime/inner.mime "$cipher" "${H[@]}" -out smime/$out -recip keys/$cert "$@"
}
enc rsa-aes256-cbc.eml -aes256 recipient-rsa.crt
enc rsa-oaep-aes128-cbc.eml -aes128 recipient-rsa.crt -keyopt rsa_padding_mode:oaep
enc rsa-aes256-gcm.eml -aes-256-gcm recipient-rsa.crt
enc rsa-des3.eml -des3 recipient-rsa.crt
enc ec-aes256-cbc.eml -aes256 recipient-ec.crt
enc for-other-recipient.eml -aes256 other-rsa.crt
# Addressed by subject key identifier instead of issuer and serial number.
enc rsa-skid-aes256-cbc.eml -aes256 recipient-rsa.crt -keyid
# Older clients write the "x-" media type.
sed 's#application/pkcs7-mime#application/x-pkcs7-mime#' smime/rsa-aes256-cbc.eml > smime/rsa-x-pkcs7-mime.eml
# Corrupt: the encrypted body cut short half-way.
head -c "$(( $(wc -c < smime/rsa-aes256-cbc.eml) / 2 ))" smime/rsa-aes256-cbc.eml > smime/corrupt.eml

# --- Signatures -----------------------------------------------------------------------------
sign() { # output signer-name [extra...]
  local out=$1 who=$2; shift 2
  openssl cms -sign -in smime/inner.mime -signer keys/$who.crt -inkey keys/$who.key \
    -certfile keys/intermediate.crt "${H[@]}" -out smime/$out "$@"
}
sign signed-clear.eml signer
sign signed-opaque.eml signer -nodetach
sign signed-untrusted.eml selfsigned-signer
# Tampered after signing: the text changed, the signature did not.
sed 's/it looks like phishing/it looks fine/' smime/signed-clear.eml > smime/signed-tampered.eml

# Sign, then encrypt (what Outlook and Thunderbird do).
openssl cms -sign -in smime/inner.mime -signer keys/signer.crt -inkey keys/signer.key \
  -certfile keys/intermediate.crt -out smime/signed.tmp
openssl cms -encrypt -in smime/signed.tmp -aes256 "${H[@]}" -out smime/signed-then-encrypted.eml \
  -recip keys/recipient-rsa.crt
# Encrypt, then sign.
openssl cms -encrypt -in smime/inner.mime -aes256 -out smime/encrypted.tmp -recip keys/recipient-rsa.crt
openssl cms -sign -in smime/encrypted.tmp -signer keys/signer.crt -inkey keys/signer.key \
  -certfile keys/intermediate.crt "${H[@]}" -out smime/encrypted-then-signed.eml
rm smime/*.tmp keys/*.srl

# --- PGP/MIME (RFC 3156) --------------------------------------------------------------------
export GNUPGHOME=$(mktemp -d)
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$GNUPGHOME"' EXIT
G=(gpg --batch --yes --quiet --pinentry-mode loopback --trust-model always)
"${G[@]}" --passphrase $PASS --quick-gen-key "SOC <soc@example.com>" rsa3072 sign,cert never
FPR=$("${G[@]}" --list-keys --with-colons soc@example.com | awk -F: '/^fpr/ {print $10; exit}')
"${G[@]}" --passphrase $PASS --quick-add-key "$FPR" rsa3072 encr never
"${G[@]}" --passphrase "" --quick-gen-key "Reporter <reporter@example.org>" ed25519 sign never
"${G[@]}" --passphrase "" --quick-gen-key "Other <other@example.net>" ed25519 sign,cert never
OTHER=$("${G[@]}" --list-keys --with-colons other@example.net | awk -F: '/^fpr/ {print $10; exit}')
"${G[@]}" --passphrase "" --quick-add-key "$OTHER" cv25519 encr never
"${G[@]}" --passphrase $PASS --armor --export-secret-keys soc@example.com > keys/pgp-secret.asc
"${G[@]}" --armor --export soc@example.com > keys/pgp-public.asc
"${G[@]}" --passphrase "" --armor --export-secret-keys other@example.net > keys/pgp-other-secret.asc
"${G[@]}" --armor --export reporter@example.org > keys/pgp-reporter-public.asc

pgpmime() { # output armored-file
  cat <<MSG
From: Reporter <reporter@example.org>
To: soc@example.com
Subject: Suspicious invoice
Message-ID: <pgp-$1@example.org>
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="pgp-boundary"

This is an OpenPGP/MIME encrypted message (RFC 3156).
--pgp-boundary
Content-Type: application/pgp-encrypted
Content-Description: PGP/MIME version identification

Version: 1

--pgp-boundary
Content-Type: application/octet-stream; name="encrypted.asc"
Content-Description: OpenPGP encrypted message
Content-Disposition: inline; filename="encrypted.asc"

$(cat "$2")

--pgp-boundary--
MSG
}
"${G[@]}" --armor --encrypt -r soc@example.com -o pgp/enc.asc smime/inner.mime
pgpmime encrypted pgp/enc.asc > pgp/encrypted.eml
"${G[@]}" --passphrase "" --armor --sign --local-user reporter@example.org --encrypt -r soc@example.com \
  -o pgp/signenc.asc smime/inner.mime
pgpmime signed-encrypted pgp/signenc.asc > pgp/signed-encrypted.eml
"${G[@]}" --armor --encrypt -r other@example.net -o pgp/other.asc smime/inner.mime
pgpmime for-other pgp/other.asc > pgp/for-other-recipient.eml

# multipart/signed (RFC 3156 section 5): the signature covers the first part with CRLF line ends,
# without the line break that belongs to the delimiter after it.
perl -pe 's/\n/\r\n/' smime/inner.mime | head -c -2 > pgp/signed-part.tmp
"${G[@]}" --passphrase "" --armor --detach-sign --digest-algo SHA256 --local-user reporter@example.org \
  -o pgp/sig.asc pgp/signed-part.tmp
cat > pgp/signed.eml <<MSG
From: Reporter <reporter@example.org>
To: soc@example.com
Subject: Suspicious invoice
Message-ID: <pgp-signed@example.org>
MIME-Version: 1.0
Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="sig-boundary"

This is an OpenPGP/MIME signed message (RFC 3156).
--sig-boundary
$(cat smime/inner.mime)
--sig-boundary
Content-Type: application/pgp-signature; name="signature.asc"
Content-Disposition: attachment; filename="signature.asc"

$(cat pgp/sig.asc)

--sig-boundary--
MSG
sed 's/it looks like phishing/it looks fine/' pgp/signed.eml > pgp/signed-tampered.eml
rm pgp/*.asc pgp/*.tmp
