-- Pruning scanned every BRIN range not yet summarized (about 1 s per 2M fresh events):
-- summarize each range as soon as it fills instead of waiting for the next vacuum.
ALTER INDEX email_event_received_at SET (autosummarize = on);
