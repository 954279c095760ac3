-- How each message was protected: which key decrypted it, and who signed it (S/MIME or PGP/MIME).
ALTER TABLE email_messages ADD COLUMN encryption_format VARCHAR(8) DEFAULT 'NONE' NOT NULL;
ALTER TABLE email_messages ADD COLUMN decrypted_with VARCHAR(2000);
ALTER TABLE email_messages ADD COLUMN signer VARCHAR(998);
ALTER TABLE email_messages ADD COLUMN signer_certificate VARCHAR(2000);
