DROP TABLE service_routes;
DROP TABLE services;
DROP TABLE catalog_nodes;
ALTER TABLE users DROP COLUMN absent_until, DROP COLUMN absence_note;
DROP TABLE group_members;
DROP TABLE support_groups;
DROP TABLE desk_supervisors;
DROP TABLE desk_organizations;
DROP TABLE desks;
