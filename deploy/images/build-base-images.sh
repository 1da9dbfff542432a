#!/usr/bin/env bash
# Builds the base images of the compose deployment from Debian packages, for Docker hosts that
# cannot pull from a registry:
#   eclipse-temurin:17-jre   stands in for the Temurin JRE image
#   <nginx image>            stands in for the official nginx image, under the tag that
#                            docker-compose.yml uses
#   <prometheus image>       stands in for the official Prometheus image of the monitoring
#                            profile, under the tag that docker-compose.yml uses: Debian's
#                            prometheus package (2.42), run as the official image runs it
# The first two are one minimal Debian bookworm tree with openjdk-17-jre-headless and nginx, made
# by debootstrap and imported with `docker import`; Prometheus gets a minimal tree of its own, so
# that neither carries the other's packages.
# The Dockerfiles and docker-compose.yml then run unchanged on these local images. A tag that
# already exists is kept, so reruns cost nothing. Needs root, debootstrap and a running Docker.
#
# Environment: JRE_IMAGE, NGINX_IMAGE, PROMETHEUS_IMAGE (tags; default from docker-compose.yml),
# DEBIAN_MIRROR (default: the first Debian mirror in /etc/apt/sources.list*), DEBIAN_SUITE
# (bookworm).
set -euo pipefail

root_dir=$(cd "$(dirname "$0")/../.." && pwd)
suite=${DEBIAN_SUITE:-bookworm}
jre_image=${JRE_IMAGE:-eclipse-temurin:17-jre}
# The first `image:` of docker-compose.yml that names the given repository.
compose_image() {
  sed -n "s|^[[:space:]]*image:[[:space:]]*\($1:[^[:space:]]*\).*|\1|p" "$root_dir/docker-compose.yml" \
    | head -n1
}
nginx_image=${NGINX_IMAGE:-$(compose_image nginx)}
: "${nginx_image:?no nginx image found in docker-compose.yml}"
prometheus_image=${PROMETHEUS_IMAGE:-$(compose_image prom/prometheus)}
: "${prometheus_image:?no prom/prometheus image found in docker-compose.yml}"

log() { printf '[base-images] %s\n' "$*" >&2; }

# debian_mirror: the Debian archive this machine already uses, so the build works behind the same
# mirror.
. "$root_dir/deploy/images/debian-mirror.sh"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Unmounts what debootstrap may have left mounted, then removes the tree without crossing mounts.
remove_tree() {
  local dir=$1 m
  for m in proc sys dev/pts dev; do
    umount -l "$dir/rootfs/$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$dir"
}

mirror=$(debian_mirror)
missing=()
for tag in "$jre_image" "$nginx_image" "$prometheus_image"; do
  if image_exists "$tag"; then
    log "$tag exists"
  else
    missing+=("$tag")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

work=$(mktemp -d /var/tmp/switchboard-base.XXXXXX)
trap 'remove_tree "$work"' EXIT

# bootstrap <packages>: a minimal bookworm tree with these packages (and their dependencies, not
# their recommendations) in $work/rootfs, without apt's caches, lists and documentation.
bootstrap() {
  remove_tree "$work"
  mkdir -p "$work"
  log "debootstrap $suite with $1 from $mirror"
  if ! debootstrap --variant=minbase --include="$1" "$suite" "$work/rootfs" "$mirror" \
      >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
  fi
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* \
    "$work/rootfs/usr/share/doc" "$work/rootfs/usr/share/man"
}

import_image() {
  local tag=$1 change
  shift
  local changes=()
  for change in "$@"; do
    changes+=(--change "$change")
  done
  tar -C "$work/rootfs" --numeric-owner -c . | docker import "${changes[@]}" - "$tag" >/dev/null
  log "built $tag"
}

path_env='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# One tree serves the JRE and nginx images: a second debootstrap would cost more than it saves in
# size.
if [[ " ${missing[*]} " == *" $jre_image "* || " ${missing[*]} " == *" $nginx_image "* ]]; then
  bootstrap openjdk-17-jre-headless,nginx
  # Like the official nginx image: conf.d holds the site, logs go to the container's output.
  rm -f "$work/rootfs/etc/nginx/sites-enabled/default" "$work/rootfs/etc/nginx/conf.d/"*
  ln -sf /dev/stdout "$work/rootfs/var/log/nginx/access.log"
  ln -sf /dev/stderr "$work/rootfs/var/log/nginx/error.log"
  [[ -x "$work/rootfs$(chroot "$work/rootfs" readlink -f /usr/bin/java)" ]] || {
    log "no java in the bootstrapped tree"
    exit 1
  }
  for tag in "${missing[@]}"; do
    if [[ $tag == "$jre_image" ]]; then
      import_image "$tag" "$path_env" 'ENV LANG=C.UTF-8' 'CMD ["bash"]'
    elif [[ $tag == "$nginx_image" ]]; then
      import_image "$tag" "$path_env" 'ENV LANG=C.UTF-8' 'EXPOSE 80' 'CMD ["nginx", "-g", "daemon off;"]'
    fi
  done
fi

# Prometheus as the official image runs it: as nobody, from /prometheus, with its configuration in
# /etc/prometheus/prometheus.yml (docker-compose.yml mounts deploy/prometheus there) and its data
# in /prometheus.
if [[ " ${missing[*]} " == *" $prometheus_image "* ]]; then
  bootstrap prometheus
  [[ -x $work/rootfs/usr/bin/prometheus ]] || {
    log "no prometheus in the bootstrapped tree"
    exit 1
  }
  # The web UI loads moment-timezone-with-data.min.js, not the 200 MB of zone data next to it.
  rm -rf "$work/rootfs/etc/prometheus/prometheus.yml" "$work/rootfs/usr/share/javascript/moment-timezone/data" \
    "$work/rootfs/usr/share/locale" "$work/rootfs/usr/share/info"
  install -d -o 65534 -g 65534 -m 0755 "$work/rootfs/prometheus"
  import_image "$prometheus_image" "$path_env" 'USER nobody' 'WORKDIR /prometheus' 'VOLUME /prometheus' \
    'EXPOSE 9090' 'ENTRYPOINT ["/usr/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.console.libraries=/etc/prometheus/console_libraries", "--web.console.templates=/etc/prometheus/consoles"]'
fi
