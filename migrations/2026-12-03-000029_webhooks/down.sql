DROP TABLE webhook_allowed_hosts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
