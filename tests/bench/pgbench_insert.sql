-- One transaction of the pgbench baseline: insert one ticket-like row (see pgbench_table.sql).
\set requester random(1, 2000)
\set grp random(1, 20)
INSERT INTO bench_scratch.tickets (requester_id, group_id, status, priority, subject, description)
VALUES (:requester, :grp, 'assigned', 'medium', 'La impresora no imprime',
        'Buenos días. La impresora del piso 4 no imprime desde ayer. Ya reinicié el equipo y el problema persiste. Gracias.');
