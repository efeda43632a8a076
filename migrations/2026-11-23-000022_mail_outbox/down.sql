ALTER TABLE desks DROP COLUMN notifications_off;
DROP TABLE notification_opt_outs;
DROP TABLE mail_templates;
DROP TABLE outbox;
DROP TABLE notifications;
