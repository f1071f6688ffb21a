-- A run that failed or was stuck, and then completed after all (a late redelivery, a replayed message), gets one
-- 'resolved' alert per policy that had told someone about it, sent through the same channels.
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_trigger_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_trigger_check CHECK (trigger IN ('outcome', 'stuck', 'resolved'));
