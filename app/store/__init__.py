"""The encrypted store: the workspace folder, its database file, backups and the process lock."""
