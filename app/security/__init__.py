"""Keys: passphrase to keys (Argon2id), the member's key pairs and their fingerprint."""
