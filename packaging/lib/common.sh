# shellcheck shell=bash
# CHANGED is read by the scripts that source this file, not here:
# shellcheck disable=SC2034
# Functions shared by the dcmon install and uninstall scripts. Sourced, never run.
#
# Every path the scripts touch is prefixed with DCMON_ROOT (default: empty, the real system), the
# way DESTDIR works for `make install`: the files inside keep the target system's paths. Tests set
# DCMON_ROOT to a scratch directory and put stand-ins for systemctl, useradd, userdel, chown,
# apt-get, apt-cache and dpkg-query first on PATH; the scripts call those commands by name only.

R="${DCMON_ROOT:-}"
R="${R%/}"
JAVA="${DCMON_JAVA:-/usr/bin/java}"
# Short command-line runs of the jars (check-config, status, register): C1 only and the serial
# collector start fastest and need the least memory.
JAVA_CLI=("$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
# Java releases the installers accept from the distribution, oldest first.
JAVA_PACKAGES=(openjdk-17-jre-headless openjdk-21-jre-headless openjdk-25-jre-headless)

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Installing for the real system needs root; a scratch root (DCMON_ROOT) does not.
need_root() {
  if [ -z "$R" ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root: sudo bash $0 (with the same options)"
  fi
}

# Prints the Java feature release of binary $1 (8, 11, 17, 21, ...), or nothing when it does not run.
java_major() {
  local out v
  [ -x "$1" ] || return 0
  out="$("$1" -XshowSettings:properties -version 2>&1)" || return 0
  v="$(printf '%s\n' "$out" | sed -n 's/^ *java\.specification\.version = *//p' | head -n 1)"
  v="${v#1.}"
  case "$v" in
    '' | *[!0-9]*) return 0 ;;
    *) printf '%s\n' "$v" ;;
  esac
}

pkg_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

# Installs distribution packages; refreshes the package lists once if the first try fails (fresh
# cloud images ship without them). Nothing is ever fetched from anywhere else.
apt_install() {
  command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found: install $* with this system's package manager, then run $0 again"
  say "installing from the distribution's packages: $*"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q ||
      die "apt-get update failed; fix the package sources, then run $0 again"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" ||
      die "apt-get install $* failed; install it by hand, then run $0 again"
  fi
}

# Makes sure $JAVA runs a Java 17 or newer, installing the oldest suitable openjdk package the
# distribution offers when it does not.
ensure_java() {
  local major pkg chosen=""
  major="$(java_major "$JAVA")"
  if [ -n "$major" ] && [ "$major" -ge 17 ]; then
    say "java: $JAVA is Java $major"
    return 0
  fi
  if [ -n "$major" ]; then
    say "java: Java $major at $JAVA is too old; dcmon needs Java 17 or newer"
  else
    say "java: no Java at $JAVA; dcmon needs Java 17 or newer"
  fi
  for pkg in "${JAVA_PACKAGES[@]}"; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then
      chosen="$pkg"
      break
    fi
  done
  [ -n "$chosen" ] ||
    die "none of ${JAVA_PACKAGES[*]} is offered by this system's package sources; install a Java 17+ runtime so that $JAVA runs it, then run $0 again"
  apt_install "$chosen"
  major="$(java_major "$JAVA")"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    die "installed $chosen but $JAVA still is not Java 17+ (found: ${major:-nothing}); select it with 'update-alternatives --config java', then run $0 again"
  fi
  say "java: $JAVA is Java $major"
}

# Resolves the jar to install: --jar, else next to the script, else the Maven build output.
# $1 = value of --jar (may be empty), $2 = file name, $3 = build path relative to the script dir.
find_jar() {
  local given="$1" name="$2" built="$3" candidate
  if [ -n "$given" ]; then
    candidate="$given"
  elif [ -f "$SCRIPT_DIR/$name" ]; then
    candidate="$SCRIPT_DIR/$name"
  else
    candidate="$SCRIPT_DIR/$built"
  fi
  [ -f "$candidate" ] ||
    die "$name not found at $candidate: pass --jar FILE, put $name next to $0, or build it with 'mvn -DskipTests package'"
  # A jar is a zip: refuse an HTML error page or a truncated copy before it replaces a working one.
  [ "$(head -c 2 "$candidate")" = PK ] || die "$candidate is not a jar (it does not start like a zip file)"
  printf '%s\n' "$candidate"
}

# Sets the owner (user:group) and mode of a path.
own() {
  chown "$2" "$1"
  chmod "$3" "$1"
}

# ensure_dir PATH MODE OWNER: creates the directory if missing, then sets mode and owner.
ensure_dir() {
  mkdir -p "$1"
  own "$1" "$3" "$2"
}

# install_file SRC DEST MODE OWNER: copies SRC over DEST when their contents differ, atomically (a
# temporary file beside DEST, then rename), and sets mode and owner either way. Sets CHANGED=1 when
# DEST was created or replaced, CHANGED=0 when it already had this content.
CHANGED=0
install_file() {
  local src="$1" dest="$2" mode="$3" owner="$4"
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
    CHANGED=0
  else
    cp "$src" "$dest.dcmon-new"
    own "$dest.dcmon-new" "$owner" "$mode"
    mv -f "$dest.dcmon-new" "$dest"
    CHANGED=1
  fi
  own "$dest" "$owner" "$mode"
}

# yaml_get FILE KEY: the value of a top-level "KEY: value" line, without quotes or a trailing comment.
yaml_get() {
  sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1 | sed 's/[[:space:]]#.*$//; s/[[:space:]]*$//; s/^"\(.*\)"$/\1/'
}

# yaml_set FILE KEY VALUE: sets a top-level key, replacing its line (or its commented-out line);
# appends it when absent. VALUE must already be validated: a single line without quotes or
# backslashes. Sets CHANGED like install_file; the file keeps its mode and owner.
yaml_set() {
  local file="$1" key="$2" value="$3" tmp
  tmp="$file.dcmon-new"
  awk -v k="$key" -v v="$value" '
    !done && ($0 ~ "^" k ":" || $0 ~ "^# ?" k ":") { print k ": " v; done = 1; next }
    { print }
    END { if (!done) print k ": " v }
  ' "$file" >"$tmp"
  if cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    CHANGED=0
  else
    cat "$tmp" >"$file"
    rm -f "$tmp"
    CHANGED=1
  fi
}

# Removes a file if present; prints what it removed.
remove_file() {
  if [ -e "$1" ] || [ -L "$1" ]; then
    rm -f "$1"
    say "removed $1"
  fi
}

# Removes a directory if it exists and is empty (another dcmon component may still use it).
remove_dir_if_empty() {
  if [ -d "$1" ] && rmdir "$1" 2>/dev/null; then
    say "removed $1"
  fi
}

# A path from a config file, as seen from here: under DCMON_ROOT, unless the config already names a
# path inside it (a test that runs the installed layout without a chroot points its config there).
rooted() {
  case "$1" in
    "$R"/*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$R$1" ;;
  esac
}

# Whether a local user exists in the (scratch) root's passwd file. System users made by useradd
# always live there, so this also works for a DCMON_ROOT that is not the running system.
user_exists() {
  grep -q "^$1:" "$R/etc/passwd" 2>/dev/null
}
