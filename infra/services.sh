#!/usr/bin/env bash
# Starts, reports and stops the services that ReuseQueue runs against on one
# machine (local runs, integration tests, CI): the RabbitMQ broker, the Redis
# server and, on request, a Docker engine for container replicas.
#
# Usage: infra/services.sh up|status|down [SERVICE...]
#
#   up      Reuse each service that already responds at its configured address.
#           Otherwise install it with apt-get if missing, start it, wait until
#           it is ready and record that this script started it.
#   status  Print whether each service is reachable and who started it.
#           Exits 1 when a service is not reachable.
#   down    Stop only the services that this script started.
#
# SERVICE is rabbitmq, redis, docker or all. Without one, `up` acts on rabbitmq
# and redis, and on docker too when REUSEQ_DOCKER=1. `status` also reports an
# engine that this script started, and `down` stops everything it started.
#   infra/services.sh up docker     start or reuse the Docker engine only
#   infra/services.sh up all        all three services
#
# Environment (defaults in brackets):
#   REUSEQ_AMQP_HOST [127.0.0.1]     RabbitMQ host, AMQP and management API
#   REUSEQ_AMQP_PORT [5672]          RabbitMQ AMQP port
#   REUSEQ_MANAGEMENT_PORT [15672]   RabbitMQ management HTTP API port
#   REUSEQ_REDIS_HOST [127.0.0.1]    Redis host
#   REUSEQ_REDIS_PORT [6379]         Redis port
#   REUSEQ_DOCKER [0]                1 adds docker to the services of a plain `up`
#   DOCKER_HOST [unix:///var/run/docker.sock]  Docker engine address
#   REUSEQ_SERVICES_WAIT_SECONDS [120]  max wait for a started service to be ready
#
# A host that is not a loopback address is only checked for reachability:
# this script never installs or starts anything for it. Likewise an engine at a
# DOCKER_HOST that is not a unix:// socket is only checked, so set DOCKER_HOST
# to use an engine that runs elsewhere (rootless, remote, Docker Desktop).
#
# Installing and starting RabbitMQ needs root, because apt-get needs root and
# the broker runs as the `rabbitmq` user. RabbitMQ keeps the data and log
# paths of the Debian package (/var/lib/rabbitmq, /var/log/rabbitmq). Redis
# keeps no data: it starts with persistence off.
#
# The Docker engine is Debian's docker.io package. This script starts dockerd
# without the default bridge network and with iptables and IP forwarding off,
# so a container has no network of its own: run it with `--network host`. Its
# images and containers live in /var/lib/reuseq-docker, apart from any other
# engine's.
#
# Records of what this script started, the Redis and dockerd pid and log
# files, and the apt-get output live in .run/services/ at the repository root.

set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
STATE_DIR="$REPO_ROOT/.run/services"

AMQP_HOST=${REUSEQ_AMQP_HOST:-127.0.0.1}
AMQP_PORT=${REUSEQ_AMQP_PORT:-5672}
MANAGEMENT_PORT=${REUSEQ_MANAGEMENT_PORT:-15672}
REDIS_HOST=${REUSEQ_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REUSEQ_REDIS_PORT:-6379}
WAIT_SECONDS=${REUSEQ_SERVICES_WAIT_SECONDS:-120}

DOCKER_OPT_IN=${REUSEQ_DOCKER:-0}

# Services in start order, and `down` stops them in reverse order. Every name N in
# this list has the functions N_up, N_status and N_down, which the command
# dispatch at the end of this file calls. A new service gets its own section
# with those three functions and an entry here.
SERVICES=(rabbitmq redis docker)

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

fail() {
    echo "services.sh: error: $*" >&2
    exit 1
}

# Prints a progress line to stderr, so stdout keeps one state line per service.
progress() {
    echo "  $*" >&2
}

require_port() {
    local name=$1 value=$2
    if [[ ! $value =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
        fail "$name must be a TCP port between 1 and 65535, got '$value'"
    fi
}

is_loopback() {
    case $1 in
        localhost | ::1 | 127.*) return 0 ;;
        *) return 1 ;;
    esac
}

# Prints the address a server started by this script binds to for a loopback host.
bind_address() {
    if [[ $1 == localhost ]]; then
        echo 127.0.0.1
    else
        echo "$1"
    fi
}

# Succeeds when a TCP connection to host:port opens within 2 seconds.
tcp_reachable() {
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

require_root() {
    if [[ $(id -u) -ne 0 ]]; then
        fail "$1 needs root; run: sudo $0 $COMMAND_LINE"
    fi
}

# Record files: one per service that this script started, holding key=value lines.
record_path() {
    echo "$STATE_DIR/$1.started"
}

write_record() {
    local service=$1
    shift
    mkdir -p "$STATE_DIR"
    {
        echo "started_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        printf '%s\n' "$@"
    } >"$(record_path "$service")"
}

has_record() {
    [[ -f $(record_path "$1") ]]
}

# Succeeds when this script started the service at the given host:port.
started_here() {
    has_record "$1" && [[ $(record_value "$1" address) == "$2" ]]
}

# Prints the value of one key from a service's record, or nothing.
record_value() {
    local file
    file=$(record_path "$1")
    [[ -f $file ]] || return 0
    sed -n "s/^$2=//p" "$file" | head -n 1
}

remove_record() {
    rm -f -- "$(record_path "$1")"
}

# Prints who started the service at host:port, for the state lines.
describe_owner() {
    if started_here "$1" "$2"; then
        echo "started by infra/services.sh at $(record_value "$1" started_at)"
    elif has_record "$1"; then
        echo "not started by infra/services.sh at this address (its record names $(record_value "$1" address))"
    else
        echo "not started by infra/services.sh"
    fi
}

# ---------------------------------------------------------------------------
# Package installation
# ---------------------------------------------------------------------------

APT_LOG="$STATE_DIR/apt.log"
APT_LISTS_UPDATED=false
POLICY_RC_D=/usr/sbin/policy-rc.d
REMOVE_POLICY_RC_D=false

cleanup() {
    if [[ $REMOVE_POLICY_RC_D == true ]]; then
        rm -f -- "$POLICY_RC_D"
    fi
}
trap cleanup EXIT

# Reads apt-get's machine-readable status lines ("dlstatus:pkg:percent:text"
# and "pmstatus:pkg:percent:text") and prints a line for every 10 percent.
print_apt_progress() {
    local kind package percent text step last_step=-1 last_kind=""
    while IFS=: read -r kind package percent text; do
        case $kind in
            dlstatus) kind=downloading ;;
            pmstatus) kind=installing ;;
            *) continue ;;
        esac
        step=$((${percent%%.*} / 10))
        if [[ $kind != "$last_kind" || $step -ne $last_step ]]; then
            progress "apt-get: $kind $((step * 10))% ($text)"
            last_kind=$kind
            last_step=$step
        fi
    done
}

# Installs Debian packages without prompts, with progress on stderr and the
# full apt-get output in .run/services/apt.log.
apt_install() {
    require_root "installing $*"
    command -v apt-get >/dev/null || fail "apt-get not found; install $* with this system's package manager"
    mkdir -p "$STATE_DIR"

    # A package's install script would start its daemon with the distribution's
    # configuration (Redis saving to disk, RabbitMQ on all interfaces). A
    # policy-rc.d that exits 101 makes invoke-rc.d skip every daemon start, so
    # this script starts them itself. An existing policy-rc.d is kept as it is.
    if [[ ! -e $POLICY_RC_D ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC_D"
        chmod 755 "$POLICY_RC_D"
        REMOVE_POLICY_RC_D=true
    fi

    if [[ $APT_LISTS_UPDATED == false ]]; then
        progress "apt-get: updating package lists (output in $APT_LOG)"
        DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$APT_LOG" 2>&1 ||
            fail "apt-get update failed; read $APT_LOG"
        APT_LISTS_UPDATED=true
    fi

    progress "apt-get: installing $* (output in $APT_LOG)"
    # With pipefail, a failed apt-get fails the pipeline. PIPESTATUS must be read
    # in the || branch, because any later command replaces it.
    local status=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o APT::Status-Fd=3 "$@" 3>&1 >>"$APT_LOG" 2>&1 | print_apt_progress ||
        status=${PIPESTATUS[0]}
    if ((status != 0)); then
        fail "apt-get install $* failed with exit code $status; read $APT_LOG"
    fi

    if [[ $REMOVE_POLICY_RC_D == true ]]; then
        rm -f -- "$POLICY_RC_D"
        REMOVE_POLICY_RC_D=false
    fi
}

# Installs the packages whose commands are missing. Arguments are command:package pairs.
ensure_commands() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    if ((${#missing[@]} > 0)); then
        apt_install "${missing[@]}"
    fi
}

# ---------------------------------------------------------------------------
# RabbitMQ
# ---------------------------------------------------------------------------

RABBITMQ_ADDRESS="$AMQP_HOST:$AMQP_PORT"
MANAGEMENT_URL="http://$AMQP_HOST:$MANAGEMENT_PORT"
if [[ $AMQP_HOST == *:* ]]; then
    MANAGEMENT_URL="http://[$AMQP_HOST]:$MANAGEMENT_PORT"
fi

# The Debian package names the node rabbit@<short hostname> and keeps its pid
# file and log under these paths, unless RABBITMQ_NODENAME sets another name.
RABBITMQ_NODE=${RABBITMQ_NODENAME:-rabbit@$(hostname -s)}
RABBITMQ_PID_FILE="/var/lib/rabbitmq/mnesia/$RABBITMQ_NODE.pid"
RABBITMQ_LOG="/var/log/rabbitmq/$RABBITMQ_NODE.log"
RABBITMQ_START_LOG="$STATE_DIR/rabbitmq-start.log"

rabbitmq_addresses() {
    echo "amqp $AMQP_HOST:$AMQP_PORT, management $MANAGEMENT_URL"
}

# Succeeds when GET /api/overview returns 200 for guest:guest. The broker only
# accepts guest from loopback, so this check is made for loopback hosts only.
management_api_ready() {
    command -v curl >/dev/null || return 1
    local code
    code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 \
        --user guest:guest "$MANAGEMENT_URL/api/overview" 2>/dev/null) || true
    [[ $code == 200 ]]
}

rabbitmq_ready() {
    tcp_reachable "$AMQP_HOST" "$AMQP_PORT" && management_api_ready
}

rabbitmq_node_running() {
    command -v rabbitmq-diagnostics >/dev/null &&
        rabbitmq-diagnostics -q ping >/dev/null 2>&1
}

# Succeeds when the node's pid file names a live Erlang VM. The node writes the
# file about a second after it starts, long before `ping` succeeds, and removes
# it on a clean stop.
rabbitmq_node_process_alive() {
    local pid stat
    [[ -f $RABBITMQ_PID_FILE ]] || return 1
    pid=$(<"$RABBITMQ_PID_FILE")
    [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == beam* ]] || return 1
    # A killed node stays a zombie until its parent reaps it. Field 3 of
    # /proc/PID/stat is the state, and Z means the process has exited.
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# Waits until the broker accepts AMQP connections and the management API
# returns 200, and fails early when the node process is gone.
wait_for_rabbitmq() {
    local deadline=$((SECONDS + WAIT_SECONDS))
    progress "rabbitmq: waiting up to ${WAIT_SECONDS}s for the node to be ready"
    until rabbitmq_node_running && rabbitmq_ready; do
        if [[ -f $RABBITMQ_PID_FILE ]] && ! rabbitmq_node_process_alive; then
            fail "rabbitmq: the node (pid $(<"$RABBITMQ_PID_FILE")) exited during startup; read $RABBITMQ_LOG and $RABBITMQ_START_LOG"
        fi
        if ((SECONDS >= deadline)); then
            fail "rabbitmq: not ready after ${WAIT_SECONDS}s (expected AMQP on $AMQP_HOST:$AMQP_PORT and HTTP 200 from $MANAGEMENT_URL/api/overview for guest); read $RABBITMQ_LOG and $RABBITMQ_START_LOG"
        fi
        sleep 1
    done
}

rabbitmq_start() {
    require_root "starting RabbitMQ"
    ensure_commands rabbitmq-server:rabbitmq-server curl:curl
    mkdir -p "$STATE_DIR"

    if rabbitmq_node_process_alive || rabbitmq_node_running; then
        if has_record rabbitmq && ! started_here rabbitmq "$RABBITMQ_ADDRESS"; then
            fail "rabbitmq: node $RABBITMQ_NODE runs with the settings this script started it with (amqp $(record_value rabbitmq address)); run 'infra/services.sh down' first to restart it at $RABBITMQ_ADDRESS"
        fi
        # The node runs but does not accept connections at the configured address. It may
        # still be booting, so give it the normal wait before giving up.
        progress "rabbitmq: node $RABBITMQ_NODE is running but not ready at $(rabbitmq_addresses)"
        wait_for_rabbitmq
        if started_here rabbitmq "$RABBITMQ_ADDRESS"; then
            echo "rabbitmq: already running, $(describe_owner rabbitmq "$RABBITMQ_ADDRESS") ($(rabbitmq_addresses))"
        else
            echo "rabbitmq: reused node $RABBITMQ_NODE after it became ready ($(rabbitmq_addresses))"
        fi
        return
    fi

    # A node killed without a clean stop leaves its pid file behind, which would
    # make the wait below report that the new node exited.
    rm -f -- "$RABBITMQ_PID_FILE"

    progress "rabbitmq: enabling the management plugin"
    rabbitmq-plugins enable --offline rabbitmq_management >>"$RABBITMQ_START_LOG" 2>&1 ||
        fail "rabbitmq: enabling rabbitmq_management failed; read $RABBITMQ_START_LOG"

    progress "rabbitmq: starting node $RABBITMQ_NODE"
    local address
    address=$(bind_address "$AMQP_HOST")
    # The Debian wrapper runs the server as the rabbitmq user through `su`,
    # which keeps these variables. The management listener takes its address
    # from the rabbitmq_management application environment. Queue statistics
    # refresh every second instead of every 5 s, because the autoscaler reads
    # queue depth from the management API.
    # NOTE: epmd (port 4369) and Erlang distribution (port 25672) still listen
    # on all interfaces, guarded by the Erlang cookie, because the CLI tools
    # reach the node through the host name, which may not resolve to loopback.
    RABBITMQ_NODE_IP_ADDRESS=$address \
        RABBITMQ_NODE_PORT=$AMQP_PORT \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-rabbitmq_management tcp_config [{ip,\"$address\"},{port,$MANAGEMENT_PORT}] -rabbit collect_statistics_interval 1000" \
        rabbitmq-server -detached >>"$RABBITMQ_START_LOG" 2>&1 ||
        fail "rabbitmq: rabbitmq-server -detached failed; read $RABBITMQ_START_LOG and $RABBITMQ_LOG"

    # Record before waiting, so `down` can stop a node that never got ready.
    write_record rabbitmq "node=$RABBITMQ_NODE" "address=$RABBITMQ_ADDRESS" "management=$MANAGEMENT_URL"
    wait_for_rabbitmq
    echo "rabbitmq: started ($(rabbitmq_addresses))"
}

rabbitmq_up() {
    if ! tcp_reachable "$AMQP_HOST" "$AMQP_PORT"; then
        if ! is_loopback "$AMQP_HOST"; then
            fail "rabbitmq: not reachable at $RABBITMQ_ADDRESS; this script starts services on loopback only, so start the broker there or unset REUSEQ_AMQP_HOST"
        fi
        rabbitmq_start
        return
    fi

    if ! is_loopback "$AMQP_HOST"; then
        local management_state="not reachable"
        if tcp_reachable "$AMQP_HOST" "$MANAGEMENT_PORT"; then
            management_state="open"
        fi
        echo "rabbitmq: reused at $RABBITMQ_ADDRESS (non-loopback host, reachability checked only; management port $MANAGEMENT_PORT $management_state)"
        return
    fi

    # The AMQP listener opens before the management plugin finishes starting,
    # so a broker that is still booting gets a short wait.
    local deadline=$((SECONDS + 30))
    if ! management_api_ready; then
        progress "rabbitmq: AMQP accepts connections at $RABBITMQ_ADDRESS; waiting up to 30s for $MANAGEMENT_URL/api/overview"
    fi
    until management_api_ready; do
        if ((SECONDS >= deadline)); then
            fail "rabbitmq: AMQP accepts connections at $RABBITMQ_ADDRESS but GET $MANAGEMENT_URL/api/overview as guest did not return 200; enable the plugin with 'rabbitmq-plugins enable rabbitmq_management' or set REUSEQ_MANAGEMENT_PORT"
        fi
        sleep 1
    done

    if started_here rabbitmq "$RABBITMQ_ADDRESS"; then
        echo "rabbitmq: already running, $(describe_owner rabbitmq "$RABBITMQ_ADDRESS") ($(rabbitmq_addresses))"
    else
        echo "rabbitmq: reused ($(rabbitmq_addresses))"
    fi
}

rabbitmq_status() {
    local owner
    owner=$(describe_owner rabbitmq "$RABBITMQ_ADDRESS")
    if ! tcp_reachable "$AMQP_HOST" "$AMQP_PORT"; then
        if started_here rabbitmq "$RABBITMQ_ADDRESS"; then
            echo "rabbitmq: not reachable at $RABBITMQ_ADDRESS, but recorded as $owner; it stopped outside this script"
        else
            echo "rabbitmq: not reachable at $RABBITMQ_ADDRESS"
        fi
        return 1
    fi

    if ! is_loopback "$AMQP_HOST"; then
        echo "rabbitmq: reachable at $RABBITMQ_ADDRESS (non-loopback host, management API not checked), $owner"
    elif management_api_ready; then
        echo "rabbitmq: reachable (amqp $RABBITMQ_ADDRESS, management API $MANAGEMENT_URL returns 200), $owner"
    else
        echo "rabbitmq: AMQP reachable at $RABBITMQ_ADDRESS, but $MANAGEMENT_URL/api/overview does not return 200 for guest, $owner"
        return 1
    fi
}

# Stops the node this script started, whatever address is configured now.
rabbitmq_down() {
    if ! has_record rabbitmq; then
        if tcp_reachable "$AMQP_HOST" "$AMQP_PORT"; then
            echo "rabbitmq: left running at $RABBITMQ_ADDRESS (not started by infra/services.sh)"
        else
            echo "rabbitmq: not running"
        fi
        return
    fi

    local node
    node=$(record_value rabbitmq node)
    if [[ $node != "$RABBITMQ_NODE" ]]; then
        fail "rabbitmq: the record names node $node but this host's node is $RABBITMQ_NODE; stop it with 'rabbitmqctl -n $node stop' and delete $(record_path rabbitmq)"
    fi
    if ! rabbitmq_node_process_alive && ! rabbitmq_node_running; then
        remove_record rabbitmq
        echo "rabbitmq: already stopped (removed the record)"
        return
    fi

    require_root "stopping RabbitMQ"
    progress "rabbitmq: stopping node $RABBITMQ_NODE"
    # With the pid file argument, rabbitmqctl waits until the node's OS process exits.
    local stop_args=(stop)
    if [[ -f $RABBITMQ_PID_FILE ]]; then
        stop_args+=("$RABBITMQ_PID_FILE")
    fi
    rabbitmqctl -q "${stop_args[@]}" >>"$RABBITMQ_START_LOG" 2>&1 ||
        fail "rabbitmq: 'rabbitmqctl stop' failed; read $RABBITMQ_START_LOG and $RABBITMQ_LOG"
    remove_record rabbitmq
    echo "rabbitmq: stopped (node $RABBITMQ_NODE)"
}

# ---------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------

REDIS_ADDRESS="$REDIS_HOST:$REDIS_PORT"
REDIS_PID_FILE="$STATE_DIR/redis.pid"
REDIS_LOG="$STATE_DIR/redis.log"

# Succeeds when the server at host:port replies +PONG to PING.
redis_replies_to_ping() {
    local reply
    reply=$(timeout 2 bash -c '
        exec 3<>"/dev/tcp/$0/$1" || exit 1
        printf "PING\r\n" >&3
        IFS= read -r line <&3 && printf "%s" "$line"' "$1" "$2" 2>/dev/null) || return 1
    [[ $reply == +PONG* ]]
}

# Prints the pid of the Redis server at host:port, or nothing.
redis_server_pid() {
    redis-cli -h "$1" -p "$2" info server 2>/dev/null |
        sed -n 's/^process_id:\([0-9]*\).*/\1/p'
}

redis_start() {
    ensure_commands redis-server:redis-server redis-cli:redis-tools
    mkdir -p "$STATE_DIR"

    progress "redis: starting redis-server"
    # --dir only sets the working directory, because no data is saved.
    redis-server --bind "$(bind_address "$REDIS_HOST")" --port "$REDIS_PORT" \
        --daemonize yes --save '' --appendonly no \
        --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" --dir "$STATE_DIR" ||
        fail "redis: redis-server failed to start; read $REDIS_LOG"

    local deadline=$((SECONDS + WAIT_SECONDS))
    until redis_replies_to_ping "$REDIS_HOST" "$REDIS_PORT"; do
        if ((SECONDS >= deadline)); then
            fail "redis: no reply to PING at $REDIS_ADDRESS after ${WAIT_SECONDS}s; read $REDIS_LOG"
        fi
        sleep 0.2
    done

    write_record redis "pid=$(redis_server_pid "$REDIS_HOST" "$REDIS_PORT")" "address=$REDIS_ADDRESS"
    echo "redis: started at $REDIS_ADDRESS (log $REDIS_LOG)"
}

redis_up() {
    if redis_replies_to_ping "$REDIS_HOST" "$REDIS_PORT"; then
        if started_here redis "$REDIS_ADDRESS"; then
            echo "redis: already running at $REDIS_ADDRESS, $(describe_owner redis "$REDIS_ADDRESS")"
        else
            echo "redis: reused at $REDIS_ADDRESS"
        fi
        return
    fi

    if tcp_reachable "$REDIS_HOST" "$REDIS_PORT"; then
        fail "redis: $REDIS_ADDRESS accepts connections but does not reply +PONG to PING (another program, or Redis with a password); free the port or set REUSEQ_REDIS_PORT"
    fi
    if ! is_loopback "$REDIS_HOST"; then
        fail "redis: not reachable at $REDIS_ADDRESS; this script starts services on loopback only, so start Redis there or unset REUSEQ_REDIS_HOST"
    fi

    # There is one record per service, so a Redis this script started at another
    # address must be stopped first, or `down` would lose track of it.
    if has_record redis && ! started_here redis "$REDIS_ADDRESS"; then
        local recorded_address
        recorded_address=$(record_value redis address)
        if redis_replies_to_ping "${recorded_address%:*}" "${recorded_address##*:}"; then
            fail "redis: this script already runs Redis at $recorded_address; run 'infra/services.sh down' first to start it at $REDIS_ADDRESS"
        fi
    fi
    remove_record redis
    redis_start
}

redis_status() {
    local owner recorded_pid running_pid
    owner=$(describe_owner redis "$REDIS_ADDRESS")
    if redis_replies_to_ping "$REDIS_HOST" "$REDIS_PORT"; then
        recorded_pid=$(record_value redis pid)
        running_pid=$(redis_server_pid "$REDIS_HOST" "$REDIS_PORT")
        if started_here redis "$REDIS_ADDRESS" && [[ $running_pid != "$recorded_pid" ]]; then
            owner="not started by infra/services.sh (pid $running_pid; the one it started, pid $recorded_pid, is gone)"
        fi
        echo "redis: reachable at $REDIS_ADDRESS, $owner"
        return
    fi

    if started_here redis "$REDIS_ADDRESS"; then
        echo "redis: not reachable at $REDIS_ADDRESS, but recorded as $owner; it stopped outside this script"
    else
        echo "redis: not reachable at $REDIS_ADDRESS"
    fi
    return 1
}

# Stops the Redis this script started, at the address in its record.
redis_down() {
    if ! has_record redis; then
        if redis_replies_to_ping "$REDIS_HOST" "$REDIS_PORT"; then
            echo "redis: left running at $REDIS_ADDRESS (not started by infra/services.sh)"
        else
            echo "redis: not running"
        fi
        return
    fi

    local address host port
    address=$(record_value redis address)
    host=${address%:*}
    port=${address##*:}
    if ! redis_replies_to_ping "$host" "$port"; then
        remove_record redis
        echo "redis: already stopped at $address (removed the record)"
        return
    fi

    # Another Redis may have taken the port after ours stopped; leave that one alone.
    local recorded_pid running_pid
    recorded_pid=$(record_value redis pid)
    running_pid=$(redis_server_pid "$host" "$port")
    if [[ -n $recorded_pid && $running_pid != "$recorded_pid" ]]; then
        remove_record redis
        echo "redis: left running at $address (pid $running_pid is not the pid $recorded_pid this script started; removed the record)"
        return
    fi

    redis-cli -h "$host" -p "$port" shutdown nosave >/dev/null 2>&1 || true
    local deadline=$((SECONDS + 10))
    while redis_replies_to_ping "$host" "$port"; do
        if ((SECONDS >= deadline)); then
            fail "redis: still replying to PING at $address 10s after SHUTDOWN NOSAVE; read $REDIS_LOG"
        fi
        sleep 0.2
    done
    remove_record redis
    echo "redis: stopped at $address"
}

# ---------------------------------------------------------------------------
# Docker engine
# ---------------------------------------------------------------------------

DOCKER_ADDRESS=${DOCKER_HOST:-unix:///var/run/docker.sock}
DOCKER_DATA_ROOT=/var/lib/reuseq-docker
# containerd's socket paths live under the exec root, and a Unix socket path is
# limited to 108 bytes, so the exec root stays short.
DOCKER_EXEC_ROOT=/run/reuseq-docker
DOCKER_PID_FILE="$STATE_DIR/docker.pid"
DOCKER_LOG="$STATE_DIR/docker.log"
DOCKER_STOP_SECONDS=60

# Prints the server version of the engine at DOCKER_ADDRESS. Fails when no
# engine responds within 10 seconds.
docker_engine_version() {
    if command -v docker >/dev/null; then
        timeout 10 docker --host "$DOCKER_ADDRESS" version --format '{{.Server.Version}}' 2>/dev/null
        return
    fi
    # Without the CLI, a Unix socket can still be checked through the API's ping endpoint.
    [[ $DOCKER_ADDRESS == unix://* ]] && command -v curl >/dev/null || return 1
    local reply
    reply=$(curl --silent --fail --max-time 10 --unix-socket "${DOCKER_ADDRESS#unix://}" \
        http://localhost/_ping 2>/dev/null) || return 1
    [[ $reply == OK ]] && echo "unknown version (no docker CLI installed)"
}

# Succeeds when the pid names a live dockerd process (a zombie counts as exited).
dockerd_process_alive() {
    local pid=$1 stat
    [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# Prints the pids of running dockerd processes, one a line.
dockerd_pids() {
    local comm_file pid
    for comm_file in /proc/[0-9]*/comm; do
        pid=${comm_file#/proc/}
        pid=${pid%/comm}
        if dockerd_process_alive "$pid"; then
            echo "$pid"
        fi
    done
}

docker_other_engines_hint() {
    echo "to use an engine that runs elsewhere, set DOCKER_HOST to its address (for example unix:///run/user/1000/docker.sock or tcp://127.0.0.1:2375)"
}

docker_start() {
    local socket=${DOCKER_ADDRESS#unix://}
    require_root "starting the Docker engine"
    # /usr/local/bin/docker or another CLI may exist without the engine, so the
    # package is installed when dockerd is missing, whatever `docker` is.
    ensure_commands dockerd:docker.io docker:docker.io
    mkdir -p "$STATE_DIR" "$DOCKER_DATA_ROOT" "$DOCKER_EXEC_ROOT" "$(dirname -- "$socket")"

    # The CLI from the package may reach an engine that the earlier check could not.
    local version
    if version=$(docker_engine_version); then
        echo "docker: reused engine $version at $DOCKER_ADDRESS"
        return
    fi

    # dockerd replaces an existing socket file, so a second engine would take
    # the socket away from one that is still starting.
    local other_pids
    other_pids=$(dockerd_pids | tr '\n' ' ')
    if [[ -n $other_pids ]]; then
        fail "docker: dockerd already runs (pid ${other_pids% }) but no engine responds at $DOCKER_ADDRESS; wait until it is ready, stop it, or set DOCKER_HOST to its socket"
    fi

    progress "docker: starting dockerd at $DOCKER_ADDRESS (data in $DOCKER_DATA_ROOT, log $DOCKER_LOG)"
    # Containers of ReuseQueue use host networking only. Without the default
    # bridge and with iptables and IP forwarding off, the engine changes no
    # firewall rule, network interface or IP forwarding setting of this host.
    # setsid puts the daemon in its own session, so it outlives this script
    # and a Ctrl+C in the terminal does not reach it. A script runs without job
    # control, so the background child is no process group leader and setsid
    # runs dockerd without a fork: $! is the daemon's pid.
    setsid dockerd \
        --host "$DOCKER_ADDRESS" \
        --iptables=false --ip-forward=false --bridge=none \
        --data-root "$DOCKER_DATA_ROOT" --exec-root "$DOCKER_EXEC_ROOT" \
        --pidfile "$DOCKER_PID_FILE" \
        </dev/null >>"$DOCKER_LOG" 2>&1 &
    local pid=$!

    # Record before waiting, so `down` can stop an engine that never got ready.
    write_record docker "pid=$pid" "address=$DOCKER_ADDRESS" "data_root=$DOCKER_DATA_ROOT"

    local deadline=$((SECONDS + WAIT_SECONDS))
    progress "docker: waiting up to ${WAIT_SECONDS}s for the engine to respond"
    until version=$(docker_engine_version); do
        if ! dockerd_process_alive "$pid"; then
            remove_record docker
            fail "docker: dockerd (pid $pid) exited during startup; read $DOCKER_LOG"
        fi
        if ((SECONDS >= deadline)); then
            fail "docker: no response from the engine at $DOCKER_ADDRESS after ${WAIT_SECONDS}s; read $DOCKER_LOG, and stop it with 'infra/services.sh down docker'"
        fi
        sleep 0.5
    done

    echo "docker: started engine $version at $DOCKER_ADDRESS (pid $pid, log $DOCKER_LOG)"
    progress "docker: $(docker_other_engines_hint)"
}

docker_up() {
    local version
    if version=$(docker_engine_version); then
        if started_here docker "$DOCKER_ADDRESS" && dockerd_process_alive "$(record_value docker pid)"; then
            echo "docker: already running engine $version at $DOCKER_ADDRESS, $(describe_owner docker "$DOCKER_ADDRESS")"
        else
            echo "docker: reused engine $version at $DOCKER_ADDRESS"
        fi
        return
    fi

    if [[ $DOCKER_ADDRESS != unix://* ]]; then
        fail "docker: no engine responds at DOCKER_HOST=$DOCKER_ADDRESS; this script starts an engine on a Unix socket only, so start the engine there, or unset DOCKER_HOST to start one at unix:///var/run/docker.sock"
    fi

    # There is one record per service, so an engine this script started at
    # another address must be stopped first, or `down` would lose track of it.
    if has_record docker && ! started_here docker "$DOCKER_ADDRESS" &&
        dockerd_process_alive "$(record_value docker pid)"; then
        fail "docker: this script already runs an engine at $(record_value docker address); run 'infra/services.sh down docker' first to start one at $DOCKER_ADDRESS"
    fi
    if started_here docker "$DOCKER_ADDRESS" && dockerd_process_alive "$(record_value docker pid)"; then
        fail "docker: dockerd (pid $(record_value docker pid)) started by this script runs but does not respond at $DOCKER_ADDRESS; read $DOCKER_LOG, or stop it with 'infra/services.sh down docker'"
    fi
    remove_record docker
    docker_start
}

docker_status() {
    local owner version
    owner=$(describe_owner docker "$DOCKER_ADDRESS")
    if version=$(docker_engine_version); then
        if started_here docker "$DOCKER_ADDRESS" && ! dockerd_process_alive "$(record_value docker pid)"; then
            owner="not started by infra/services.sh (the dockerd it started, pid $(record_value docker pid), is gone)"
        fi
        echo "docker: engine $version responds at $DOCKER_ADDRESS, $owner"
        return
    fi

    if started_here docker "$DOCKER_ADDRESS"; then
        echo "docker: no engine responds at $DOCKER_ADDRESS, but recorded as $owner; read $DOCKER_LOG"
    else
        echo "docker: no engine responds at $DOCKER_ADDRESS"
    fi
    return 1
}

# Stops the dockerd this script started, whatever DOCKER_HOST is now. The engine
# stops its running containers before it exits.
docker_down() {
    if ! has_record docker; then
        if docker_engine_version >/dev/null; then
            echo "docker: left running at $DOCKER_ADDRESS (not started by infra/services.sh)"
        else
            echo "docker: not running"
        fi
        return
    fi

    local address pid
    address=$(record_value docker address)
    pid=$(record_value docker pid)
    if ! dockerd_process_alive "$pid"; then
        remove_record docker
        echo "docker: already stopped at $address (removed the record)"
        return
    fi

    require_root "stopping the Docker engine"
    progress "docker: stopping dockerd (pid $pid) and its containers"
    kill -TERM "$pid"
    local deadline=$((SECONDS + DOCKER_STOP_SECONDS))
    while dockerd_process_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            fail "docker: dockerd (pid $pid) still runs ${DOCKER_STOP_SECONDS}s after SIGTERM; read $DOCKER_LOG"
        fi
        sleep 0.5
    done
    remove_record docker
    echo "docker: stopped at $address"
}

# ---------------------------------------------------------------------------
# Command dispatch
# ---------------------------------------------------------------------------

usage() {
    echo "usage: $0 up|status|down [rabbitmq|redis|docker|all]..." >&2
    exit 2
}

COMMAND=${1:-}
[[ $# -ge 1 ]] || usage
shift
COMMAND_LINE="$COMMAND${*:+ $*}"

if [[ $DOCKER_OPT_IN != 0 && $DOCKER_OPT_IN != 1 ]]; then
    fail "REUSEQ_DOCKER must be 0 or 1, got '$DOCKER_OPT_IN'"
fi

# The services that each command acts on without arguments.
DEFAULT_SERVICES=(rabbitmq redis)
if [[ $DOCKER_OPT_IN == 1 ]]; then
    DEFAULT_SERVICES+=(docker)
fi
case $COMMAND in
    up) ;;
    status)
        # An engine that this script started is reported even when not requested.
        if [[ $DOCKER_OPT_IN == 0 ]] && has_record docker; then
            DEFAULT_SERVICES+=(docker)
        fi
        ;;
    down) DEFAULT_SERVICES=("${SERVICES[@]}") ;;
    *) usage ;;
esac

# The named services, in the order of SERVICES whatever the order of the arguments.
requested=()
for argument in "$@"; do
    case " all ${SERVICES[*]} " in
        *" $argument "*) ;;
        *)
            echo "services.sh: error: unknown service '$argument'; expected one of: ${SERVICES[*]} all" >&2
            usage
            ;;
    esac
    requested+=("$argument")
done
if ((${#requested[@]} == 0)); then
    requested=("${DEFAULT_SERVICES[@]}")
fi
SELECTED=()
for service in "${SERVICES[@]}"; do
    case " ${requested[*]} " in
        *" $service "* | *" all "*) SELECTED+=("$service") ;;
    esac
done

require_port REUSEQ_AMQP_PORT "$AMQP_PORT"
require_port REUSEQ_MANAGEMENT_PORT "$MANAGEMENT_PORT"
require_port REUSEQ_REDIS_PORT "$REDIS_PORT"
if [[ ! $WAIT_SECONDS =~ ^[0-9]+$ ]]; then
    fail "REUSEQ_SERVICES_WAIT_SECONDS must be a whole number of seconds, got '$WAIT_SECONDS'"
fi

case $COMMAND in
    up)
        for service in "${SELECTED[@]}"; do
            "${service}_up"
        done
        ;;
    status)
        exit_code=0
        for service in "${SELECTED[@]}"; do
            "${service}_status" || exit_code=1
        done
        exit "$exit_code"
        ;;
    down)
        for ((i = ${#SELECTED[@]} - 1; i >= 0; i--)); do
            "${SELECTED[i]}_down"
        done
        ;;
esac
