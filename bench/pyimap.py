#!/usr/bin/env python3
"""The peer script of issue 13: a plain imaplib + email ingester, one message at a time.

    python3 bench/pyimap.py HOST PORT USER PASSWORD CAFILE OUTDIR

Fetches every unseen message of INBOX over IMAPS (UID FETCH BODY.PEEK[]), parses it, hashes its
attachments, writes the raw bytes and a JSON summary with fsync, then marks it \\Seen. Prints the count.
"""
import email
import email.policy
import hashlib
import imaplib
import json
import os
import ssl
import sys


def durable_write(path, data):
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def main():
    host, port, user, password, cafile, out = sys.argv[1:7]
    os.makedirs(out, exist_ok=True)
    imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=ssl.create_default_context(cafile=cafile))
    imap.login(user, password)
    imap.select("INBOX")
    uids = imap.uid("SEARCH", None, "UNSEEN")[1][0].split()
    dirfd = os.open(out, os.O_RDONLY)
    for uid in uids:
        typ, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = data[0][1]
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        attachments = []
        for part in msg.walk():
            if part.get_content_disposition() in ("attachment", "inline") and not part.is_multipart():
                payload = part.get_payload(decode=True) or b""
                attachments.append({"name": part.get_filename(), "type": part.get_content_type(),
                                    "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()})
        summary = {"uid": uid.decode(), "messageId": str(msg.get("Message-ID", "")),
                   "subject": str(msg.get("Subject", "")), "from": str(msg.get("From", "")),
                   "sha256": hashlib.sha256(raw).hexdigest(), "attachments": attachments,
                   "defects": len(msg.defects)}
        name = os.path.join(out, uid.decode())
        durable_write(name + ".eml", raw)
        durable_write(name + ".json", json.dumps(summary).encode())
        os.fsync(dirfd)
        imap.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)")
    os.close(dirfd)
    imap.logout()
    print(len(uids))


if __name__ == "__main__":
    main()
