DROP INDEX tickets_agent_queue_idx;
DROP INDEX tickets_group_queue_idx;
DROP INDEX tickets_sla_open_idx;
