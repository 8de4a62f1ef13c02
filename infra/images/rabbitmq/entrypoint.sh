#!/bin/sh
# Starts RabbitMQ in the foreground, with every listener on loopback at the ports
# from the environment, so the broker can share the host's network with another
# broker. Environment (defaults in brackets):
#   RABBITMQ_NODE_PORT (required)      AMQP port
#   ERL_EPMD_PORT (required)           port of this container's own epmd; the host
#                                      broker's epmd uses 4369
#   RABBITMQ_MANAGEMENT_PORT [AMQP port + 10000]  management HTTP API port
#   RABBITMQ_DIST_PORT [AMQP port + 20000]        Erlang distribution port (RabbitMQ's own default rule)
#   RABBITMQ_NODENAME [rabbit-<AMQP port>@localhost]
# Further Erlang arguments can be added with RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS.
# The guest account works, because every connection comes from loopback. The CLI
# tools inside the container need the node name:
#   docker exec -e RABBITMQ_NODENAME=rabbit-5690@localhost CONTAINER rabbitmqctl status
set -eu

fail() {
    echo "reuseq-rabbitmq: error: $*" >&2
    exit 64
}

require_port() {
    case $2 in
        '' | *[!0-9]*) fail "$1 must be a TCP port between 1 and 65535, got '$2'" ;;
    esac
    if [ "$2" -lt 1 ] || [ "$2" -gt 65535 ]; then
        fail "$1 must be a TCP port between 1 and 65535, got '$2'"
    fi
}

[ -n "${RABBITMQ_NODE_PORT:-}" ] ||
    fail "RABBITMQ_NODE_PORT is not set; choose an AMQP port that no other broker on this host uses, for example 5690"
[ -n "${ERL_EPMD_PORT:-}" ] ||
    fail "ERL_EPMD_PORT is not set; choose a port other than 4369, where the host broker's epmd listens, for example 4390"
require_port RABBITMQ_NODE_PORT "$RABBITMQ_NODE_PORT"
require_port ERL_EPMD_PORT "$ERL_EPMD_PORT"

RABBITMQ_MANAGEMENT_PORT=${RABBITMQ_MANAGEMENT_PORT:-$((RABBITMQ_NODE_PORT + 10000))}
RABBITMQ_DIST_PORT=${RABBITMQ_DIST_PORT:-$((RABBITMQ_NODE_PORT + 20000))}
require_port RABBITMQ_MANAGEMENT_PORT "$RABBITMQ_MANAGEMENT_PORT"
require_port RABBITMQ_DIST_PORT "$RABBITMQ_DIST_PORT"

export RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT ERL_EPMD_PORT
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-rabbit-$RABBITMQ_NODE_PORT@localhost}"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export ERL_EPMD_ADDRESS=127.0.0.1
# The management listener takes its address from the rabbitmq_management
# application environment, and inet_dist_use_interface keeps the Erlang
# distribution listener on loopback. Queue statistics refresh every second, as
# with the broker that infra/services.sh starts.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-rabbitmq_management tcp_config [{ip,\"127.0.0.1\"},{port,$RABBITMQ_MANAGEMENT_PORT}] -kernel inet_dist_use_interface {127,0,0,1} -rabbit collect_statistics_interval 1000 ${RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS:-}"

# The broker logs to standard output, which `docker logs` shows.
export RABBITMQ_LOGS="${RABBITMQ_LOGS:--}"

echo "reuseq-rabbitmq: starting node $RABBITMQ_NODENAME (amqp 127.0.0.1:$RABBITMQ_NODE_PORT, management http://127.0.0.1:$RABBITMQ_MANAGEMENT_PORT, distribution $RABBITMQ_DIST_PORT, epmd $ERL_EPMD_PORT)"
# The server script itself is process 1, not Debian's /usr/sbin/rabbitmq-server
# wrapper, because the wrapper does not pass on SIGTERM and sends the server's
# output to /var/log/rabbitmq/startup_log. The server script stops the node
# cleanly on SIGTERM and then exits 0.
cd /var/lib/rabbitmq
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
