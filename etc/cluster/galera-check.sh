#!/bin/sh
# etc/cluster/galera-check.sh - HAProxy's external check of one Galera node (etc/cluster/haproxy.cfg.in):
# up only when the node answers over TCP and is Synced (wsrep_local_state 4) in the primary
# component. A node that is joining (SST/IST), a donor, or cut off from the primary component
# accepts connections but must not be written to: a plain TCP or mysql-check would pass it.
# HAProxy calls it as: galera-check.sh PROXY_ADDR PROXY_PORT SERVER_ADDR SERVER_PORT
# It logs in as 'haproxy_check'@'127.0.0.1' (no password, no privileges: USAGE only).
out=$(mariadb --no-defaults --protocol=TCP -h "$3" -P "$4" -u haproxy_check --connect-timeout=2 -N -B \
	-e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_local_state', 'wsrep_cluster_status') ORDER BY VARIABLE_NAME" \
	2>/dev/null) || exit 1
# wsrep_cluster_status first, then wsrep_local_state
[ "$(printf '%s' "$out" | tr '\n' ' ')" = "Primary 4" ]
