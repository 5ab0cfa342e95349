-- The pending-work queues are read oldest first: their partial indexes now hold what they are
-- read by (the id; a comment's time), so a read walks only what waits. The old ones held the
-- flag itself, and the planner scanned the whole table to read it in id order.
DROP INDEX messages_automation;
CREATE INDEX messages_automation ON messages (id) WHERE automation_pending;
DROP INDEX events_automation;
CREATE INDEX events_automation ON events (id) WHERE automation_pending;
CREATE INDEX comments_automation ON comments (at) WHERE automation_pending;
