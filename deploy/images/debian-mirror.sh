# Sourced by build-base-images.sh and compose-test.sh.
#
# debian_mirror prints the Debian archive this machine's apt already uses (the first URI ending in
# /debian in /etc/apt/sources.list*), so that downloads go through the same mirror; DEBIAN_MIRROR
# overrides it, and http://deb.debian.org/debian is the fallback.
debian_mirror() {
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local uri
  uri=$(
    {
      grep -hsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        | tr ' ' '\n' | grep -E '^[a-z+]+://' || true
      grep -hsE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources \
        | sed 's/^[[:space:]]*URIs:[[:space:]]*//' | tr ' ' '\n' || true
    } | grep -E '/debian/?$' | head -n1
  )
  echo "${uri:-http://deb.debian.org/debian}"
}
