DROP INDEX users_email_lower_idx;
DROP TABLE mailbox_answers;
DROP TABLE mailbox_messages;
DROP TABLE desk_mailboxes;
