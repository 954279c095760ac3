#!/usr/bin/env python3
"""Writes a deterministic corpus of realistic mail straight into a Maildir's new/ (all unseen).

    python3 bench/corpus.py MAILDIR N [SEED]

The mix (by message): business mail with PDF/DOCX-like binaries and images (34%), phishing reports that
attach the reported mail as message/rfc822 (25%), HTML newsletters with inline images (15%), S/MIME
signed mail (10%, really signed by `openssl smime` with a throw-away key), short plain reports (9%) and
malformed MIME (7%: no closing boundary, broken base64, missing boundary parameter, a header line without
a colon, raw 8-bit headers, a truncated message). Sizes are log-normal, averaging about 87 KB like the
issue's corpus (1,000 messages = about 87 MB). Same N and SEED give the same bytes, except the S/MIME
signatures, which depend on the key generated for the corpus.
"""
import base64
import os
import random
import re
import subprocess
import sys
import tempfile

WORDS = ("invoice payment account please review attached report quarter budget meeting contract "
         "delivery order shipment confirm approval schedule project update team customer client "
         "security password verify urgent action required reset login portal access suspended "
         "transfer wire bank details compliance audit policy document signed agreement renewal "
         "the a of to and in for on with by from this that your our we you is are be will "
         "regards thanks best kind sincerely hello dear colleague manager finance legal hr").split()
NAMES = ["Alice Martin", "Bob Schmidt", "Carla Rossi", "David Chen", "Eva Novak", "Farid Haddad",
         "Greta Olsen", "Hugo Dubois", "Ines Silva", "Jonas Berg", "Kenji Sato", "Lena Weber"]
DOMAINS = ["example.com", "corp.example", "partner.example.org", "supplier.example.net", "bank.example"]
BAD = ["secure-login-update.example", "micros0ft-support.example", "payroll-portal.example",
       "docs-share.example.info", "dhl-track.example.biz", "office365-verify.example"]


class Gen:
    def __init__(self, seed, workdir):
        self.r = random.Random(seed)
        self.workdir = workdir
        self.key = os.path.join(workdir, "smime-key.pem")
        self.cert = os.path.join(workdir, "smime-cert.pem")
        if not os.path.exists(self.cert):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
                            "-subj", "/CN=Signer/emailAddress=signer@corp.example", "-keyout", self.key,
                            "-out", self.cert], check=True, capture_output=True)

    # --- pieces -------------------------------------------------------------------------------------
    def words(self, n):
        return " ".join(self.r.choices(WORDS, k=n))

    def text(self, paragraphs, per=60):
        out = []
        for _ in range(paragraphs):
            w = self.words(per).split()
            out.append("\n".join(" ".join(w[i:i + 12]) for i in range(0, len(w), 12)))
        return "\n\n".join(out) + "\n"

    def size(self, mean_kb, sigma=0.9, cap_kb=2048):
        # log-normal with the given mean: mu = ln(mean) - sigma^2/2
        import math
        kb = self.r.lognormvariate(math.log(mean_kb * 1.25) - sigma * sigma / 2, sigma)
        return max(256, int(min(kb, cap_kb) * 1024))

    def person(self, domains=DOMAINS):
        name = self.r.choice(NAMES)
        return name, name.split()[0].lower() + "." + name.split()[1].lower() + "@" + self.r.choice(domains)

    def headers(self, i, subject, sender=None, to="soc@corp.example", extra=()):
        name, addr = sender or self.person()
        day = 1 + i % 28
        h = [f"Return-Path: <{addr}>",
             f"Received: from mx{i % 7}.{addr.split('@')[1]} (mx{i % 7}.{addr.split('@')[1]} "
             f"[192.0.2.{i % 250 + 1}]) by mx.corp.example with ESMTPS id {self.r.getrandbits(48):x}; "
             f"{self.date(i)}",
             f"From: {name} <{addr}>", f"To: {to}", f"Subject: {subject}", f"Date: {self.date(i)}",
             f"Message-ID: <bench-{i}-{self.r.getrandbits(32):08x}@{addr.split('@')[1]}>",
             "MIME-Version: 1.0"]
        h.extend(extra)
        return "\n".join(h) + "\n"

    def date(self, i):
        day = 1 + i % 28
        return f"{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][day % 7]}, {day:02d} Nov 2026 " \
               f"{(i // 60) % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d} +0000"

    def boundary(self):
        return f"=_bench_{self.r.getrandbits(64):016x}"

    def binary(self, kind, n):
        magic = {"pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "docx": b"PK\x03\x04\x14\x00\x06\x00",
                 "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
                 "zip": b"PK\x03\x04\x14\x00\x00\x00"}[kind]
        return magic + self.r.randbytes(max(0, n - len(magic)))

    def attachment(self, kind, n, name, inline_cid=None):
        ctype = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "zip": "application/zip",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[kind]
        disp = f"inline; filename=\"{name}\"" if inline_cid else f"attachment; filename=\"{name}\""
        cid = f"Content-ID: <{inline_cid}>\n" if inline_cid else ""
        return (f"Content-Type: {ctype}; name=\"{name}\"\nContent-Disposition: {disp}\n{cid}"
                f"Content-Transfer-Encoding: base64\n\n"
                + base64.encodebytes(self.binary(kind, n)).decode("ascii"))

    def multipart(self, subtype, parts, boundary=None, close=True):
        b = boundary or self.boundary()
        body = "".join(f"--{b}\n{p}\n" for p in parts) + (f"--{b}--\n" if close else "")
        return f"Content-Type: multipart/{subtype}; boundary=\"{b}\"\n\nThis is a multi-part message in MIME format.\n\n" + body

    def html(self, links, paragraphs):
        items = "".join(f"<p>{self.words(40)} <a href=\"{u}\">{self.words(3)}</a></p>\n" for u in links)
        filler = "".join(f"<tr><td style=\"padding:8px;font-family:Arial\">{self.words(50)}</td></tr>\n"
                         for _ in range(paragraphs))
        return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{self.words(4)}</title></head>"
                f"<body><table width=\"600\">{filler}</table>{items}</body></html>\n")

    def bad_urls(self, n):
        return [f"https://{self.r.choice(BAD)}/{self.r.choice(['login', 'verify', 'invoice', 'track'])}"
                f"?id={self.r.getrandbits(40):x}" for _ in range(n)]

    # --- kinds ---------------------------------------------------------------------------------------
    def business(self, i):
        parts = [f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{self.text(3)}"]
        total = self.size(70)
        kinds = self.r.choices(["pdf", "docx", "png", "jpg"], k=self.r.choice([1, 1, 2, 3]))
        for k, kind in enumerate(kinds):
            parts.append(self.attachment(kind, total // len(kinds), f"{self.words(1)}-{i}-{k}.{kind}"))
        subject = self.r.choice(["Invoice", "Contract", "Quarterly report", "Order confirmation", "Meeting notes"])
        return self.headers(i, f"{subject} {i}") + self.multipart("mixed", parts)

    def inner_phish(self, i):
        sender = (self.r.choice(["IT Service Desk", "Payroll", "DHL Express", "Microsoft 365"]),
                  f"noreply@{self.r.choice(BAD)}")
        alt = self.multipart("alternative", [
            f"Content-Type: text/plain; charset=utf-8\n\n{self.text(2)}",
            f"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
            + self.html(self.bad_urls(self.r.randint(1, 5)), self.r.randint(5, 40)).replace("=", "=3D")])
        body = alt
        if self.r.random() < 0.4:
            body = self.multipart("mixed", [alt, self.attachment(
                self.r.choice(["zip", "pdf", "docx"]), self.size(60), f"document-{i}.{self.r.choice(['zip', 'pdf'])}")])
        return self.headers(i + 1_000_000, "Action required: verify your account", sender=sender) + body

    def phishing_report(self, i):
        reporter = self.person(["corp.example"])
        parts = [f"Content-Type: text/plain; charset=utf-8\n\nReported via the Report Phishing button.\n"
                 f"{self.text(1, 30)}",
                 "Content-Type: message/rfc822\nContent-Disposition: attachment; filename=\"reported.eml\"\n\n"
                 + self.inner_phish(i)]
        return self.headers(i, f"[Phishing report] Action required: verify your account ({i})", sender=reporter,
                            to="phishing@corp.example") + self.multipart("mixed", parts)

    def newsletter(self, i):
        images = [(f"img{i}-{k}@news", self.r.choice(["png", "jpg"])) for k in range(self.r.randint(1, 3))]
        html = self.html([f"https://news.example.com/a/{self.r.getrandbits(32):x}" for _ in range(8)],
                         self.r.randint(20, 120))
        html = html.replace("</body>", "".join(f"<img src=\"cid:{c}\">" for c, _ in images) + "</body>")
        alt = self.multipart("alternative", [f"Content-Type: text/plain; charset=utf-8\n\n{self.text(4)}",
                                             f"Content-Type: text/html; charset=utf-8\n\n{html}"])
        total = self.size(55)
        related = self.multipart("related", [alt] + [self.attachment(kind, total // len(images), f"{c.split('@')[0]}.{kind}",
                                                                      inline_cid=c) for c, kind in images])
        return self.headers(i, f"Newsletter #{i}: {self.words(5)}", sender=("Newsletter", "news@news.example.com"),
                            extra=["List-Unsubscribe: <https://news.example.com/u>"]) + related

    def signed(self, i):
        inner = self.multipart("mixed", [f"Content-Type: text/plain; charset=utf-8\n\n{self.text(3)}",
                                         self.attachment("pdf", self.size(60), f"signed-{i}.pdf")])
        with tempfile.NamedTemporaryFile("w", dir=self.workdir, suffix=".txt", delete=False) as f:
            f.write(inner)
        try:
            out = subprocess.run(["openssl", "smime", "-sign", "-noattr", "-in", f.name, "-signer", self.cert,
                                  "-inkey", self.key, "-md", "sha256"], check=True, capture_output=True).stdout
        finally:
            os.unlink(f.name)
        smime = out.decode("ascii").replace("\r\n", "\n")
        if smime.startswith("MIME-Version"):
            smime = smime.split("\n", 1)[1]
        # openssl picks a random boundary; the boundary is outside what is signed, so make it deterministic
        b = re.search(r'boundary="([^"]+)"', smime).group(1)
        smime = smime.replace(b, self.boundary())
        return self.headers(i, f"Signed: purchase order {i}", sender=("Signer", "signer@corp.example")) + smime

    def plain(self, i):
        return (self.headers(i, f"Suspicious mail from {self.r.choice(BAD)}",
                             extra=["Content-Type: text/plain; charset=utf-8"])
                + "\n" + self.text(self.r.randint(2, 20)) + "\n".join(self.bad_urls(3)) + "\n")

    def malformed(self, i):
        kind = i % 6
        if kind == 0:  # the closing boundary is missing
            return self.headers(i, f"Malformed {i}: unterminated") + self.multipart(
                "mixed", [f"Content-Type: text/plain\n\n{self.text(2)}", self.attachment("pdf", self.size(40), "x.pdf")],
                close=False)
        if kind == 1:  # base64 with characters outside the alphabet and a wrong length
            att = self.attachment("zip", self.size(30), "broken.zip")
            cut = len(att) // 2
            return self.headers(i, f"Malformed {i}: bad base64") + self.multipart(
                "mixed", [f"Content-Type: text/plain\n\n{self.text(1)}", att[:cut] + "!!**~~\n" + att[cut:-7]])
        if kind == 2:  # multipart without a boundary parameter
            return self.headers(i, f"Malformed {i}: no boundary",
                                extra=["Content-Type: multipart/mixed"]) + "\n" + self.text(5)
        if kind == 3:  # a header line without a colon, and an unknown charset
            return (self.headers(i, f"Malformed {i}: header garbage",
                                 extra=["this line is not a header", "Content-Type: text/plain; charset=x-unknown-42"])
                    + "\n" + self.text(4))
        if kind == 4:  # raw 8-bit bytes in headers are written by the caller as latin-1
            return (self.headers(i, f"Malformed {i}: Gr\u00fc\u00dfe \u00e0 8-bit",
                                 extra=["Content-Type: text/plain"]) + "\n" + self.text(3))
        # a message cut off in the middle of an attachment
        full = self.headers(i, f"Malformed {i}: truncated") + self.multipart(
            "mixed", [f"Content-Type: text/plain\n\n{self.text(1)}", self.attachment("jpg", self.size(50), "cut.jpg")])
        return full[:len(full) * 2 // 3]

    def message(self, i):
        x = self.r.random()
        if x < 0.34:
            return self.business(i)
        if x < 0.59:
            return self.phishing_report(i)
        if x < 0.74:
            return self.newsletter(i)
        if x < 0.84:
            return self.signed(i)
        if x < 0.93:
            return self.plain(i)
        return self.malformed(i)


def main():
    maildir, n = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 13
    for sub in ("new", "cur", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    gen = Gen(seed, maildir)
    total = 0
    for i in range(n):
        data = gen.message(i).encode("latin-1", errors="replace")
        name = f"{1764547200 + i}.M{i:06d}P{seed}.bench,S={len(data)}"
        with open(os.path.join(maildir, "new", name), "wb") as f:
            f.write(data)
        total += len(data)
    print(f"corpus: {n} messages, {total / 1e6:.1f} MB, {total / n / 1024:.1f} KB average")


if __name__ == "__main__":
    main()
