#!/usr/bin/env bash
# Builds the container images of ReuseQueue on the local Docker engine, without
# pulling anything from an image registry.
#
# Usage: infra/build-images.sh [--rebuild] [--fresh-rootfs] [--verify] [IMAGE...]
#
# IMAGE is base, worker, autoscaler, rabbitmq or all (the default):
#   base      reuseq/debian-base:bookworm, a Debian bookworm minbase root file
#             system made with debootstrap and imported with `docker import`
#   worker    reuseq/example-worker:latest from workers/Dockerfile, with a
#             self-contained publish of workers/ReuseQueue.ExampleWorker
#   autoscaler  reuseq/autoscaler:latest from infra/images/autoscaler, with a
#             self-contained publish of src/ReuseQueue.Cli (the reuseq CLI) and
#             config/docker.yaml as its default config
#   rabbitmq  reuseq/rabbitmq:3.10 from infra/images/rabbitmq, a broker for tests
#             that start and stop one of their own
# The worker, autoscaler and rabbitmq images build FROM the base image, so naming
# one of them builds a missing base too.
#
#   --rebuild       build the named images even when they are up to date, without
#                   the layer cache
#   --fresh-rootfs  run debootstrap again instead of importing the cached root
#                   file system (implies rebuilding the base image)
#   --verify        run each named image briefly afterwards: the broker on ports
#                   5690, 15690 and epmd 4390, the worker against the RabbitMQ and
#                   Redis of infra/services.sh, the autoscaler with `reuseq
#                   validate` on its bundled config; the containers are removed again
#
# An existing base image is kept. The worker, autoscaler and rabbitmq images carry
# a label with a hash of their inputs (source files, Dockerfile, base image id)
# and are rebuilt only when it changes.
#
# Environment:
#   DOCKER_HOST [unix:///var/run/docker.sock]  the engine; when none responds, the
#       script runs `infra/services.sh up docker`
#   REUSEQ_DEBIAN_MIRROR [the first Debian mirror in this host's apt sources, or
#       http://deb.debian.org/debian]  mirror for debootstrap and the images' apt
#   REUSEQ_DEBIAN_SECURITY_MIRROR [http://deb.debian.org/debian-security]  security
#       updates for the images' apt; empty leaves them out
#
# Needs root for debootstrap and apt-get. The cached root file system, the
# publish output and the build log live in .run/images/ at the repository root.

set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
IMAGES_DIR="$REPO_ROOT/.run/images"
BUILD_LOG="$IMAGES_DIR/build.log"

BASE_IMAGE=reuseq/debian-base:bookworm
WORKER_IMAGE=reuseq/example-worker:latest
AUTOSCALER_IMAGE=reuseq/autoscaler:latest
RABBITMQ_IMAGE=reuseq/rabbitmq:3.10
INPUTS_LABEL=org.reuseq.inputs-sha256
BASE_SUITE_LABEL=org.reuseq.debian-suite

SUITE=bookworm
# Packages that a self-contained .NET program may need beyond minbase: CA
# certificates and libssl for TLS, tzdata for time zones. libicu is left out,
# because ReuseQueue sets InvariantGlobalization.
BASE_PACKAGES=ca-certificates,libssl3,tzdata
ROOTFS_TAR="$IMAGES_DIR/debian-base-$SUITE.tar"

WORKER_PROJECT="$REPO_ROOT/workers/ReuseQueue.ExampleWorker/ReuseQueue.ExampleWorker.csproj"
WORKER_PUBLISH_DIR="$IMAGES_DIR/example-worker"
CLI_PROJECT="$REPO_ROOT/src/ReuseQueue.Cli/ReuseQueue.Cli.csproj"
AUTOSCALER_DOCKERFILE="$REPO_ROOT/infra/images/autoscaler/Dockerfile"
AUTOSCALER_CONFIG="$REPO_ROOT/config/docker.yaml"
# The build context: the publish output in publish/ and the default config in config.yaml.
AUTOSCALER_CONTEXT="$IMAGES_DIR/autoscaler"
RABBITMQ_CONTEXT="$REPO_ROOT/infra/images/rabbitmq"

# Ports of the --verify broker, clear of the host broker's 5672, 15672, 25672 and 4369.
CHECK_AMQP_PORT=5690
CHECK_MANAGEMENT_PORT=15690
CHECK_EPMD_PORT=4390
CHECK_ENVIRONMENT=image-check
CHECK_WAIT_SECONDS=90

fail() {
    echo "build-images.sh: error: $*" >&2
    exit 1
}

progress() {
    echo "  $*" >&2
}

usage() {
    echo "usage: $0 [--rebuild] [--fresh-rootfs] [--verify] [base|worker|autoscaler|rabbitmq|all]..." >&2
    exit 2
}

REBUILD=false
FRESH_ROOTFS=false
VERIFY=false
requested=()
for argument in "$@"; do
    case $argument in
        --rebuild) REBUILD=true ;;
        --fresh-rootfs) FRESH_ROOTFS=true ;;
        --verify) VERIFY=true ;;
        base | worker | autoscaler | rabbitmq) requested+=("$argument") ;;
        all) requested+=(base worker autoscaler rabbitmq) ;;
        -h | --help) usage ;;
        *)
            echo "build-images.sh: error: unknown argument '$argument'" >&2
            usage
            ;;
    esac
done
if ((${#requested[@]} == 0)); then
    requested=(base worker autoscaler rabbitmq)
fi

is_requested() {
    [[ " ${requested[*]} " == *" $1 "* ]]
}

# Prints the seconds since the given SECONDS value, for the timing lines.
elapsed_since() {
    echo "$((SECONDS - $1))s"
}

# Runs a command with its output appended to the build log, and fails with the
# log's path when the command fails.
run_logged() {
    local description=$1
    shift
    echo "==> $description: $*" >>"$BUILD_LOG"
    "$@" >>"$BUILD_LOG" 2>&1 || fail "$description failed; read $BUILD_LOG"
}

# ---------------------------------------------------------------------------
# Docker engine and images
# ---------------------------------------------------------------------------

ensure_engine() {
    if command -v docker >/dev/null && timeout 10 docker version >/dev/null 2>&1; then
        return
    fi
    progress "no Docker engine responds at ${DOCKER_HOST:-unix:///var/run/docker.sock}; running infra/services.sh up docker"
    "$REPO_ROOT/infra/services.sh" up docker
}

image_exists() {
    docker image inspect "$1" >/dev/null 2>&1
}

image_id() {
    docker image inspect --format '{{.Id}}' "$1"
}

# Prints the inputs hash that the image was built from, or nothing.
image_inputs_hash() {
    docker image inspect --format "{{index .Config.Labels \"$INPUTS_LABEL\"}}" "$1" 2>/dev/null || true
}

# Prints a SHA-256 over the content and relative path of the given files,
# followed by the extra strings.
hash_inputs() {
    local -a files=()
    local extra=()
    while (($# > 0)) && [[ $1 != -- ]]; do
        files+=("$1")
        shift
    done
    if (($# > 0)); then
        shift
        extra=("$@")
    fi
    {
        if ((${#files[@]} > 0)); then
            (cd "$REPO_ROOT" && sha256sum -- "${files[@]#"$REPO_ROOT/"}")
        fi
        printf '%s\n' "${extra[@]}"
    } | sha256sum | cut -d ' ' -f 1
}

# Succeeds when the image exists with the given inputs hash and --rebuild was not given.
image_up_to_date() {
    [[ $REBUILD == false ]] && image_exists "$1" && [[ $(image_inputs_hash "$1") == "$2" ]]
}

# Prints the "Step N/M" lines of the legacy builder's output as progress lines.
print_build_steps() {
    local line
    while IFS= read -r line; do
        case $line in
            Step\ *) progress "$1: ${line:0:100}" ;;
        esac
    done
}

# Runs `docker build` with the output in the build log and a progress line per
# Dockerfile step. Host networking gives RUN steps the host's network, because
# the engine has no bridge network.
docker_build() {
    local description=$1
    shift
    echo "==> $description: docker build $*" >>"$BUILD_LOG"
    # PIPESTATUS must be read in the || branch, because any later command replaces it.
    local status=0
    local -a cache_options=()
    if [[ $REBUILD == true ]]; then
        cache_options=(--no-cache)
    fi
    docker build --network host "${cache_options[@]}" "$@" 2>&1 | tee -a "$BUILD_LOG" | print_build_steps "$description" ||
        status=${PIPESTATUS[0]}
    ((status == 0)) || fail "$description: docker build failed with exit code $status; read $BUILD_LOG"
}

# ---------------------------------------------------------------------------
# Base image
# ---------------------------------------------------------------------------

# Prints the Debian mirror of this host's apt sources, the mirror that debootstrap
# can reach when apt can.
debian_mirror() {
    if [[ -n ${REUSEQ_DEBIAN_MIRROR:-} ]]; then
        echo "$REUSEQ_DEBIAN_MIRROR"
        return
    fi
    local uri
    uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' | grep -v -- '-security' | head -n 1) || true
    if [[ -z $uri ]]; then
        uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' |
            grep -v -- '-security' | head -n 1) || true
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

install_debootstrap() {
    command -v debootstrap >/dev/null && return
    [[ $(id -u) -eq 0 ]] || fail "debootstrap is missing and installing it needs root; run: sudo $0"
    progress "base: installing debootstrap with apt-get (output in $BUILD_LOG)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >>"$BUILD_LOG" 2>&1 || {
        run_logged "apt-get update" env DEBIAN_FRONTEND=noninteractive apt-get update -q
        run_logged "installing debootstrap" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends debootstrap
    }
}

# Prints debootstrap's "I: Verb ..." lines as progress lines, only the first of
# each run of lines with the same verb, because it prints one per package. The
# "Validating" line that follows every "Retrieving" line is left out, so the
# downloads form one run.
print_debootstrap_stages() {
    local line verb last_verb=""
    while IFS= read -r line; do
        [[ $line == "I: "* ]] || continue
        verb=${line#I: }
        verb=${verb%% *}
        if [[ $verb != "$last_verb" && $verb != Validating ]]; then
            progress "base: ${line#I: }"
            last_verb=$verb
        fi
    done
}

# Makes the root file system tarball with debootstrap.
bootstrap_rootfs() {
    [[ $(id -u) -eq 0 ]] || fail "debootstrap needs root; run: sudo $0"
    install_debootstrap

    local mirror rootfs started=$SECONDS
    mirror=$(debian_mirror)
    rootfs="$IMAGES_DIR/rootfs.tmp"
    rm -rf -- "$rootfs"
    mkdir -p "$rootfs"

    progress "base: debootstrap --variant=minbase $SUITE from $mirror (output in $BUILD_LOG)"
    echo "==> debootstrap $SUITE from $mirror" >>"$BUILD_LOG"
    local status=0
    debootstrap --variant=minbase --include="$BASE_PACKAGES" "$SUITE" "$rootfs" "$mirror" 2>&1 |
        tee -a "$BUILD_LOG" | print_debootstrap_stages || status=${PIPESTATUS[0]}
    if ((status != 0)); then
        fail "base: debootstrap failed with exit code $status; read $BUILD_LOG and $rootfs/debootstrap/debootstrap.log"
    fi

    # The image keeps no package lists or downloaded packages, so a Dockerfile
    # runs apt-get update before it installs anything.
    {
        echo "deb $mirror $SUITE main"
        echo "deb $mirror $SUITE-updates main"
        local security=${REUSEQ_DEBIAN_SECURITY_MIRROR-http://deb.debian.org/debian-security}
        if [[ -n $security ]]; then
            echo "deb $security $SUITE-security main"
        fi
    } >"$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log

    progress "base: packing the root file system into $ROOTFS_TAR"
    tar -C "$rootfs" --numeric-owner -cf "$ROOTFS_TAR.tmp" . || fail "base: packing $rootfs failed"
    mv -f -- "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf -- "$rootfs"
    progress "base: root file system ready in $(elapsed_since "$started") ($(du -h "$ROOTFS_TAR" | cut -f 1))"
}

build_base() {
    local started=$SECONDS
    if [[ $REBUILD == false && $FRESH_ROOTFS == false ]] && image_exists "$BASE_IMAGE"; then
        echo "base: kept $BASE_IMAGE (exists; --rebuild imports it again)"
        return
    fi

    if [[ $FRESH_ROOTFS == true || ! -f $ROOTFS_TAR ]]; then
        bootstrap_rootfs
    else
        progress "base: importing the cached root file system $ROOTFS_TAR (--fresh-rootfs runs debootstrap again)"
    fi

    run_logged "base: docker import" docker import \
        --change 'CMD ["/bin/bash"]' \
        --change "LABEL $BASE_SUITE_LABEL=$SUITE" \
        "$ROOTFS_TAR" "$BASE_IMAGE"
    echo "base: built $BASE_IMAGE in $(elapsed_since "$started")"
}

# ---------------------------------------------------------------------------
# Worker image
# ---------------------------------------------------------------------------

# Prints the repository-wide build settings that every .NET publish depends on.
shared_build_files() {
    local file
    for file in Directory.Build.props Directory.Packages.props global.json nuget.config NuGet.config; do
        if [[ -f $REPO_ROOT/$file ]]; then
            echo "$REPO_ROOT/$file"
        fi
    done
}

# Prints the source files that the worker publish is built from: any C# source or
# project file under src/ and workers/, and the shared build settings.
worker_input_files() {
    find "$REPO_ROOT/src" "$REPO_ROOT/workers" \
        \( -name bin -o -name obj \) -prune -o \
        -type f \( -name '*.cs' -o -name '*.csproj' -o -name Dockerfile \) -print | LC_ALL=C sort
    shared_build_files
}

build_worker() {
    local started=$SECONDS inputs_hash
    local -a files
    mapfile -t files < <(worker_input_files)
    inputs_hash=$(hash_inputs "${files[@]}" -- "base=$(image_id "$BASE_IMAGE")")
    if image_up_to_date "$WORKER_IMAGE" "$inputs_hash"; then
        echo "worker: kept $WORKER_IMAGE (its sources and base image are unchanged)"
        return
    fi

    command -v dotnet >/dev/null || fail "worker: dotnet not found; install the .NET 10 SDK"
    progress "worker: dotnet publish -c Release -r linux-x64 --self-contained to $WORKER_PUBLISH_DIR (output in $BUILD_LOG)"
    # A clean output folder keeps files of an earlier publish out of the image.
    rm -rf -- "$WORKER_PUBLISH_DIR"
    run_logged "worker: dotnet publish" dotnet publish "$WORKER_PROJECT" \
        -c Release -r linux-x64 --self-contained -o "$WORKER_PUBLISH_DIR" --nologo -v quiet
    progress "worker: published in $(elapsed_since "$started") ($(du -sh "$WORKER_PUBLISH_DIR" | cut -f 1))"

    # The publish folder is the whole build context.
    docker_build worker --file "$REPO_ROOT/workers/Dockerfile" \
        --build-arg "BASE_IMAGE=$BASE_IMAGE" \
        --label "$INPUTS_LABEL=$inputs_hash" \
        --tag "$WORKER_IMAGE" "$WORKER_PUBLISH_DIR"
    echo "worker: built $WORKER_IMAGE in $(elapsed_since "$started")"
}

# ---------------------------------------------------------------------------
# Autoscaler image
# ---------------------------------------------------------------------------

# Prints the files that the autoscaler image is built from: any C# source or
# project file under src/, its Dockerfile, its default config and the shared
# build settings.
autoscaler_input_files() {
    find "$REPO_ROOT/src" \( -name bin -o -name obj \) -prune -o \
        -type f \( -name '*.cs' -o -name '*.csproj' \) -print | LC_ALL=C sort
    echo "$AUTOSCALER_DOCKERFILE"
    echo "$AUTOSCALER_CONFIG"
    shared_build_files
}

build_autoscaler() {
    local started=$SECONDS inputs_hash
    local -a files
    mapfile -t files < <(autoscaler_input_files)
    inputs_hash=$(hash_inputs "${files[@]}" -- "base=$(image_id "$BASE_IMAGE")")
    if image_up_to_date "$AUTOSCALER_IMAGE" "$inputs_hash"; then
        echo "autoscaler: kept $AUTOSCALER_IMAGE (its sources, config and base image are unchanged)"
        return
    fi

    command -v dotnet >/dev/null || fail "autoscaler: dotnet not found; install the .NET 10 SDK"
    progress "autoscaler: dotnet publish -c Release -r linux-x64 --self-contained to $AUTOSCALER_CONTEXT/publish (output in $BUILD_LOG)"
    # A clean context keeps files of an earlier publish out of the image.
    rm -rf -- "$AUTOSCALER_CONTEXT"
    run_logged "autoscaler: dotnet publish" dotnet publish "$CLI_PROJECT" \
        -c Release -r linux-x64 --self-contained -o "$AUTOSCALER_CONTEXT/publish" --nologo -v quiet
    cp -- "$AUTOSCALER_CONFIG" "$AUTOSCALER_CONTEXT/config.yaml"
    progress "autoscaler: published in $(elapsed_since "$started") ($(du -sh "$AUTOSCALER_CONTEXT/publish" | cut -f 1))"

    docker_build autoscaler --file "$AUTOSCALER_DOCKERFILE" \
        --build-arg "BASE_IMAGE=$BASE_IMAGE" \
        --label "$INPUTS_LABEL=$inputs_hash" \
        --tag "$AUTOSCALER_IMAGE" "$AUTOSCALER_CONTEXT"
    echo "autoscaler: built $AUTOSCALER_IMAGE in $(elapsed_since "$started")"
}

# ---------------------------------------------------------------------------
# RabbitMQ image
# ---------------------------------------------------------------------------

build_rabbitmq() {
    local started=$SECONDS inputs_hash
    local -a files
    mapfile -t files < <(find "$RABBITMQ_CONTEXT" -type f | LC_ALL=C sort)
    inputs_hash=$(hash_inputs "${files[@]}" -- "base=$(image_id "$BASE_IMAGE")")
    if image_up_to_date "$RABBITMQ_IMAGE" "$inputs_hash"; then
        echo "rabbitmq: kept $RABBITMQ_IMAGE (its Dockerfile and base image are unchanged)"
        return
    fi

    docker_build rabbitmq --build-arg "BASE_IMAGE=$BASE_IMAGE" \
        --label "$INPUTS_LABEL=$inputs_hash" \
        --tag "$RABBITMQ_IMAGE" "$RABBITMQ_CONTEXT"
    echo "rabbitmq: built $RABBITMQ_IMAGE in $(elapsed_since "$started")"
}

# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------

tcp_port_open() {
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

# Removes a container of this or an earlier, interrupted check.
remove_container() {
    docker rm --force "$1" >/dev/null 2>&1 || true
}

# Deletes one queue of the host broker through the management API.
delete_check_queue() {
    local management=${REUSEQ_MANAGEMENT_PORT:-15672}
    curl --silent --output /dev/null --max-time 5 --user guest:guest --request DELETE \
        "http://127.0.0.1:$management/api/queues/%2F/$1" || true
}

# What a check created, removed on exit whether the check passed or failed.
CHECK_CONTAINERS=()
CHECK_QUEUES=()

remove_check_leftovers() {
    local container queue
    for container in "${CHECK_CONTAINERS[@]}"; do
        docker logs "$container" >>"$BUILD_LOG" 2>&1 || true
        remove_container "$container"
    done
    for queue in "${CHECK_QUEUES[@]}"; do
        delete_check_queue "$queue"
    done
    CHECK_CONTAINERS=()
    CHECK_QUEUES=()
}
trap remove_check_leftovers EXIT

verify_rabbitmq() {
    local started=$SECONDS container=reuseq-rabbitmq-image-check port
    for port in "$CHECK_AMQP_PORT" "$CHECK_MANAGEMENT_PORT" "$CHECK_EPMD_PORT" "$((CHECK_AMQP_PORT + 20000))"; do
        if tcp_port_open "$port"; then
            fail "rabbitmq check: port $port on 127.0.0.1 is in use; stop what listens there (docker ps lists containers)"
        fi
    done
    remove_container "$container"
    CHECK_CONTAINERS=("$container")

    progress "rabbitmq check: starting $RABBITMQ_IMAGE on amqp $CHECK_AMQP_PORT, management $CHECK_MANAGEMENT_PORT, epmd $CHECK_EPMD_PORT"
    docker run --detach --name "$container" --network host \
        -e RABBITMQ_NODE_PORT="$CHECK_AMQP_PORT" \
        -e RABBITMQ_MANAGEMENT_PORT="$CHECK_MANAGEMENT_PORT" \
        -e ERL_EPMD_PORT="$CHECK_EPMD_PORT" \
        "$RABBITMQ_IMAGE" >/dev/null
    local url="http://127.0.0.1:$CHECK_MANAGEMENT_PORT/api/overview" code="" deadline=$((SECONDS + CHECK_WAIT_SECONDS))
    until [[ $code == 200 ]]; do
        if [[ $(docker inspect --format '{{.State.Running}}' "$container") != true ]]; then
            fail "rabbitmq check: the container exited during startup; its output is in $BUILD_LOG"
        fi
        if ((SECONDS >= deadline)); then
            fail "rabbitmq check: GET $url as guest did not return 200 within ${CHECK_WAIT_SECONDS}s; the container output is in $BUILD_LOG"
        fi
        sleep 1
        code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 5 \
            --user guest:guest "$url" 2>/dev/null) || true
    done

    local stop_started=$SECONDS exit_code
    docker stop --time 30 "$container" >/dev/null
    exit_code=$(docker inspect --format '{{.State.ExitCode}}' "$container")
    remove_check_leftovers
    ((exit_code == 0)) || fail "rabbitmq check: the broker exited with code $exit_code on SIGTERM; its output is in $BUILD_LOG"
    echo "rabbitmq check: passed (management API returned 200 after $((stop_started - started))s, stopped with exit code 0 in $(elapsed_since "$stop_started"))"
}

verify_worker() {
    local started=$SECONDS container=reuseq-worker-image-check uid
    uid=$(docker run --rm --network host --entrypoint id "$WORKER_IMAGE" -u)
    [[ $uid == 10001 ]] || fail "worker check: the image runs as uid '$uid', expected 10001"

    if ! tcp_port_open "${REUSEQ_AMQP_PORT:-5672}" || ! tcp_port_open "${REUSEQ_REDIS_PORT:-6379}"; then
        fail "worker check: RabbitMQ or Redis is not reachable on 127.0.0.1; run infra/services.sh up"
    fi
    remove_container "$container"

    local queue="reuse.$CHECK_ENVIRONMENT"
    CHECK_CONTAINERS=("$container")
    CHECK_QUEUES=("$queue" "$queue.error")
    progress "worker check: starting $WORKER_IMAGE for environment $CHECK_ENVIRONMENT"
    docker run --detach --name "$container" --network host \
        -e REUSEQ_ENVIRONMENT="$CHECK_ENVIRONMENT" -e REUSEQ_REPLICA_ID=image-check-1 \
        "$WORKER_IMAGE" >/dev/null
    local deadline=$((SECONDS + CHECK_WAIT_SECONDS))
    until [[ $(docker logs "$container" 2>&1) == *"consuming $queue"* ]]; do
        if [[ $(docker inspect --format '{{.State.Running}}' "$container") != true ]] || ((SECONDS >= deadline)); then
            fail "worker check: the replica did not log 'consuming $queue' within ${CHECK_WAIT_SECONDS}s; its output is in $BUILD_LOG"
        fi
        sleep 0.5
    done

    local stop_started=$SECONDS exit_code process_uid
    # `docker top` takes ps options and needs the pid column among them.
    process_uid=$(docker top "$container" -o pid,uid | awk 'NR == 2 { print $2 }')
    # The replica drains on SIGTERM within its grace period (default 30 s).
    docker stop --time 40 "$container" >/dev/null
    exit_code=$(docker inspect --format '{{.State.ExitCode}}' "$container")
    remove_check_leftovers
    ((exit_code == 0)) || fail "worker check: the replica exited with code $exit_code on SIGTERM, expected 0; its output is in $BUILD_LOG"
    [[ $process_uid == 10001 ]] || fail "worker check: the replica process ran as uid '$process_uid', expected 10001"
    echo "worker check: passed (uid 10001, consuming after $((stop_started - started))s, drained and exited 0 in $(elapsed_since "$stop_started"))"
}

# Runs `reuseq validate` on the bundled config inside the image, which needs no
# broker, Redis or engine, and checks the user and the state folder.
verify_autoscaler() {
    local started=$SECONDS output status=0
    output=$(docker run --rm --network host "$AUTOSCALER_IMAGE" validate /etc/reuseq/config.yaml 2>&1) || status=$?
    echo "==> autoscaler check: reuseq validate /etc/reuseq/config.yaml" >>"$BUILD_LOG"
    echo "$output" >>"$BUILD_LOG"
    ((status == 0)) || fail "autoscaler check: reuseq validate exited with code $status: $output"
    [[ $output == *"driver docker"* ]] ||
        fail "autoscaler check: the bundled config does not select the docker driver: $output"

    local uid
    uid=$(docker run --rm --network host --entrypoint sh "$AUTOSCALER_IMAGE" \
        -c 'test -w "$REUSEQ_STATE_DIR" && id -u') ||
        fail "autoscaler check: REUSEQ_STATE_DIR is not a writable folder in the image"
    [[ $uid == 0 ]] || fail "autoscaler check: the image runs as uid '$uid', expected 0 for the Docker socket"
    echo "autoscaler check: passed (bundled config valid, uid 0, state folder writable, in $(elapsed_since "$started"))"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

mkdir -p "$IMAGES_DIR"
ensure_engine

if is_requested base || [[ $FRESH_ROOTFS == true ]] || ! image_exists "$BASE_IMAGE"; then
    build_base
fi
if is_requested worker; then
    build_worker
fi
if is_requested autoscaler; then
    build_autoscaler
fi
if is_requested rabbitmq; then
    build_rabbitmq
fi

# A rebuilt image leaves its predecessor untagged. Only untagged images that this
# script built carry these labels, so other images of the engine are kept.
docker image prune --force --filter "label=$INPUTS_LABEL" >>"$BUILD_LOG" 2>&1 || true
docker image prune --force --filter "label=$BASE_SUITE_LABEL" >>"$BUILD_LOG" 2>&1 || true

if [[ $VERIFY == true ]]; then
    command -v curl >/dev/null || fail "--verify needs curl"
    if is_requested rabbitmq; then
        verify_rabbitmq
    fi
    if is_requested worker; then
        verify_worker
    fi
    if is_requested autoscaler; then
        verify_autoscaler
    fi
fi
