DROP TABLE login_throttle;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE locations;
DROP TABLE areas;
DROP TABLE organizations;
