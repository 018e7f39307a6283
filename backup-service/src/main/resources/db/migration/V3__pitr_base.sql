-- PITR base backups and restores are jobs too.
ALTER TABLE backup.job DROP CONSTRAINT job_kind_check;
ALTER TABLE backup.job ADD CONSTRAINT job_kind_check
    CHECK (kind IN ('backup', 'verification', 'restore', 'mirror', 'base-backup', 'pitr-restore'));
-- A gap in the archived WAL starts a base backup at once.
ALTER TABLE backup.job DROP CONSTRAINT job_trigger_check;
ALTER TABLE backup.job ADD CONSTRAINT job_trigger_check
    CHECK (trigger IN ('api', 'schedule', 'backup', 'wal_gap'));
