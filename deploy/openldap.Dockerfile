# Mesa's demo directory: Debian's OpenLDAP with deploy/ldap/ (AD-like schema, ACLs,
# demo accounts). Build context: the repo root.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slapd ldap-utils \
 && rm -rf /var/lib/apt/lists/*
COPY deploy/ldap/ /opt/mesa-ldap/
# slapd binds port 389 as root, then runs as openldap.
ENV LDAP_RUN_AS=openldap
EXPOSE 389
CMD ["bash", "/opt/mesa-ldap/demo-slapd.sh", "run", "/var/lib/mesa-ldap", "ldap://0.0.0.0:389/"]
