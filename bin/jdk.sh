# Sourced by bin/bridge and bin/test: exports JAVA_HOME as the newest JDK 21+ on this machine
# (the default `java` may be 17). An already set JAVA_HOME of 21+ wins.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {split($2, v, "."); print v[1]}'
}

pick_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" && "$(java_major "$JAVA_HOME")" -ge 21 ]]; then
    return
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [[ -x "$candidate/bin/javac" ]] || continue
    major=$(java_major "$candidate")
    if [[ -n "$major" && "$major" -ge 21 && "$major" -gt "$best_major" ]]; then
      best="$candidate" best_major="$major"
    fi
  done
  if [[ -z "$best" ]]; then
    echo "no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME" >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}

pick_jdk
