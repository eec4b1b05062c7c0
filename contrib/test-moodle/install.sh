#!/bin/bash
# install.sh [--check] TARBALL [ROOT] — installs a test Moodle for moodle-sync's Moodle-judged tests, from any
# Moodle 5.0 release tarball (.tgz, .tar.gz, .tar.xz or .zip with a top folder moodle/, e.g. moodle-latest-500.tgz
# from Moodle's download site), on Debian's PHP 8.2 CLI and PostgreSQL, under ROOT
# (default: $MOODLE_JUDGE_ROOT, else /var/tmp/moodle-judge), where the tests look for it.
#
#   ROOT/moodle        the Moodle code, unpacked from TARBALL, + config.php
#   ROOT/moodledata    the dataroot (database copies keep their caches in cache_NAME/ and localcache_NAME/)
#   ROOT/fresh.dump    pg_dump -Fc of the database right after installation
#   ROOT/new-db.sh     new-db.sh NAME: database NAME becomes a fresh copy of the installed Moodle (< 1 s)
#   ROOT/env.sh        export MOODLE_DIR=ROOT/moodle
#   ROOT/logs/         apt-get, install and check output
# PostgreSQL on 127.0.0.1:5432, role moodle (password moodle, LOGIN CREATEDB), databases moodle_judge (the
# install; default of MOODLE_JUDGE_DB) and moodle_judge_fresh (template of every copy). Admin: admin / Admin-pass1!
#
# Steps already done are skipped, so re-running is cheap. Run as root: root is needed only to install packages,
# start PostgreSQL, create the role and set max_input_vars. --check: run the full checks even when nothing changed.
# Needs nothing of the project but this folder (judge/ beside this script holds the query scripts).
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TARBALL=
JUDGE=$HERE/judge
DB=moodle_judge
TEMPLATE=moodle_judge_fresh
SITENAME='Test Moodle'
ADMINPASS='Admin-pass1!'
PHP_PACKAGES="php8.2-cli php8.2-pgsql php8.2-xml php8.2-mbstring php8.2-curl php8.2-zip php8.2-gd php8.2-intl php8.2-soap"
PHP_EXTENSIONS="pgsql xml mbstring curl zip gd intl soap"
# Moodle 5.0.x: the judge scripts are written for that branch.
EXPECTED_BRANCH=500

FULLCHECK=0
ROOTARG=
for a in "$@"; do
  case "$a" in
    --check) FULLCHECK=1 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $a (usage: install.sh [--check] TARBALL [ROOT])" >&2; exit 2 ;;
    *) if [ -z "$TARBALL" ]; then TARBALL=$(realpath -m -- "$a");
       elif [ -z "$ROOTARG" ]; then ROOTARG=$a;
       else echo "install.sh: usage: install.sh [--check] TARBALL [ROOT]" >&2; exit 2; fi ;;
  esac
done
ROOT=${ROOTARG:-${MOODLE_JUDGE_ROOT:-/var/tmp/moodle-judge}}
ROOT=$(realpath -m -- "$ROOT")
MOODLE=$ROOT/moodle
DATAROOT=$ROOT/moodledata
DUMP=$ROOT/fresh.dump
LOGS=$ROOT/logs
MARK=$DATAROOT/.test-moodle-installed
# The caller's choice of database must not leak into the install.
unset MOODLE_JUDGE_DB MOODLE_DIR PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE PGSERVICE

# ------------------------------------------------------------------------------------------------ helpers
T0=$EPOCHREALTIME
STEP=0
NSTEPS=8
STEPNAME=start
TS=$T0
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
step() { STEP=$((STEP + 1)); STEPNAME=$1; TS=$EPOCHREALTIME; echo "[$STEP/$NSTEPS] $1"; }
ok() { echo "      $* ($(since "$TS") s)"; }
die() { trap - ERR; echo "install.sh: FAILED at step $STEP/$NSTEPS ($STEPNAME) after $(since "$T0") s: $*" >&2; exit 1; }
trap 'die "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR
need_root() { [ "$(id -u)" = 0 ] || die "must run as root to $*"; }
# run_logged LOG CMD...: output to LOG; on failure show its tail and stop.
run_logged() {
  local log=$1 rc=0; shift
  "$@" >> "$log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 15 "$log" | sed 's/^/      | /'
    die "$(basename "$1") failed (exit $rc); full output in $log"
  fi
}
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }
# As the moodle role over TCP (what Moodle itself uses).
mpg() { env PGHOST=127.0.0.1 PGPORT=5432 PGUSER=moodle PGPASSWORD=moodle "$@"; }
msql() { mpg psql -X -q -v ON_ERROR_STOP=1 -tA "$@"; }
# As the postgres superuser over the local socket of the cluster on port 5432.
susql() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p 5432 -tA "$@"; }
dbexists() { [ "$(msql -d postgres -c "select 1 from pg_database where datname = '$1'")" = 1 ]; }
pgwait() { for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done; return 1; }

[[ $ROOT =~ ^/[A-Za-z0-9._/+-]+$ ]] || { echo "install.sh: ROOT must be a plain absolute path (letters, digits, . _ - + /): $ROOT" >&2; exit 2; }
[ -n "$TARBALL" ] || { echo "install.sh: usage: install.sh [--check] TARBALL [ROOT] (a Moodle 5.0 release: moodle-latest-500.tgz, .zip ...)" >&2; exit 2; }
[ -f "$TARBALL" ] || { echo "install.sh: $TARBALL is missing" >&2; exit 2; }
mkdir -p "$ROOT" "$LOGS"
echo "test Moodle: setting up $ROOT"

# ------------------------------------------------------------------------------------------------ 1
step "packages: $PHP_PACKAGES postgresql xz-utils unzip"
need=()
for p in $PHP_PACKAGES; do installed "$p" || need+=("$p"); done
command -v xz >/dev/null || need+=(xz-utils)   # tar -J
command -v unzip >/dev/null || need+=(unzip)    # .zip releases
server=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | head -1 || true)
if [ -z "$server" ] || ! command -v pg_ctlcluster >/dev/null || ! command -v psql >/dev/null; then
  need+=(postgresql)
fi
if [ "${#need[@]}" -gt 0 ]; then
  need_root "install ${need[*]}"
  echo "      installing: ${need[*]} (log: $LOGS/apt.log)"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "$LOGS/apt.log" apt-get -q -o DPkg::Lock::Timeout=300 update
  # C.UTF-8 so that a cluster created by the postgresql package gets UTF8 (Moodle requires it).
  run_logged "$LOGS/apt.log" env LANG=C.UTF-8 LC_ALL=C.UTF-8 apt-get -q -y -o DPkg::Lock::Timeout=300 \
    install --no-install-recommends "${need[@]}"
  ok "installed"
else
  ok "already installed"
fi

# ------------------------------------------------------------------------------------------------ 2
step "PHP: version, extensions, max_input_vars >= 5000"
command -v php >/dev/null || die "no php command after installing $PHP_PACKAGES"
php -r 'exit(PHP_VERSION_ID >= 80200 ? 0 : 1);' || die "php is $(php -r 'echo PHP_VERSION;'); Moodle 5.0 needs 8.2+"
MODS=$(php -m)
for e in $PHP_EXTENSIONS; do
  grep -qix "$e" <<< "$MODS" || die "PHP extension $e missing in $(command -v php) ($(php -r 'echo PHP_VERSION;'))"
done
if [ "$(php -r 'echo (int)ini_get("max_input_vars");')" -lt 5000 ]; then
  need_root "set max_input_vars"
  INIDIR=$(php -r 'echo PHP_CONFIG_FILE_SCAN_DIR;')
  [ -n "$INIDIR" ] && [ -d "$INIDIR" ] || die "PHP has no conf.d directory for max_input_vars"
  echo "max_input_vars = 5000" > "$INIDIR/99-moodle-judge.ini"
  [ "$(php -r 'echo (int)ini_get("max_input_vars");')" -ge 5000 ] || die "max_input_vars is still below 5000"
  ok "PHP $(php -r 'echo PHP_VERSION;'), extensions present, max_input_vars set to 5000 in $INIDIR/99-moodle-judge.ini"
else
  ok "PHP $(php -r 'echo PHP_VERSION;'), extensions present, max_input_vars = $(php -r 'echo ini_get("max_input_vars");')"
fi

# ------------------------------------------------------------------------------------------------ 3
step "PostgreSQL on 127.0.0.1:5432, role moodle/moodle (LOGIN CREATEDB)"
PGVER=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGVER" ] || [ ! -f "/etc/postgresql/$PGVER/main/postgresql.conf" ]; then
  need_root "create a PostgreSQL cluster"
  V=$(ls /usr/lib/postgresql | sort -V | tail -1)
  run_logged "$LOGS/postgresql.log" pg_createcluster --locale=C.UTF-8 "$V" main
  PGVER=$V
  echo "      created cluster $PGVER/main"
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  read -r port state < <(pg_lsclusters -h 2>/dev/null | awk -v v="$PGVER" '$1 == v && $2 == "main" { print $3, $4 }') || true
  [ "${state:-}" != online ] \
    || die "cluster $PGVER/main is running on port $port but nothing answers on 127.0.0.1:5432 (port, listen_addresses?)"
  need_root "start PostgreSQL"
  if [ "${port:-}" != 5432 ]; then
    # A cluster created while 5432 was taken gets another port; 5432 is free now and the cluster is down.
    run_logged "$LOGS/postgresql.log" pg_conftool "$PGVER" main set port 5432
    echo "      cluster $PGVER/main: port ${port:-?} changed to 5432"
  fi
  run_logged "$LOGS/postgresql.log" pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start
  pgwait || die "PostgreSQL $PGVER/main started but does not answer on 127.0.0.1:5432"
  echo "      started cluster $PGVER/main"
fi
if [ "$(msql -d postgres -c 'select rolcreatedb from pg_roles where rolname = current_user' 2>/dev/null || true)" != t ]; then
  need_root "create the PostgreSQL role moodle"
  if [ "$(susql -c "select 1 from pg_roles where rolname = 'moodle'")" = 1 ]; then
    susql -c "ALTER ROLE moodle LOGIN CREATEDB PASSWORD 'moodle'"
    echo "      role moodle: LOGIN CREATEDB and password ensured"
  else
    susql -c "CREATE ROLE moodle LOGIN CREATEDB PASSWORD 'moodle'"
    echo "      role moodle created"
  fi
  if ! msql -d postgres -c 'select 1' >/dev/null 2>&1; then
    # Debian's pg_hba.conf allows password logins from 127.0.0.1; add that line only if it is missing.
    HBA=$(susql -c 'show hba_file')
    echo "host    all    all    127.0.0.1/32    scram-sha-256" >> "$HBA"
    susql -c 'select pg_reload_conf()' >/dev/null
    sleep 1
    msql -d postgres -c 'select 1' >/dev/null 2>&1 \
      || die "cannot log in as moodle/moodle on 127.0.0.1:5432 (check $HBA and listen_addresses)"
    echo "      $HBA: password login from 127.0.0.1 added"
  fi
fi
ok "$(msql -d postgres -c 'select version()' | cut -d' ' -f1,2); moodle/moodle can log in and create databases"

# ------------------------------------------------------------------------------------------------ 4
step "Moodle code in $MOODLE"
SHA=$(sha256sum "$TARBALL" | cut -d' ' -f1)
if [ -f "$TARBALL.sha256" ] && [ "$(cut -d' ' -f1 "$TARBALL.sha256")" != "$SHA" ]; then
  die "$TARBALL does not match $TARBALL.sha256 (damaged copy?)"
fi
if [ -f "$MOODLE/version.php" ] && [ "$(cat "$MOODLE/.tarball.sha256" 2>/dev/null)" = "$SHA" ]; then
  ok "already unpacked: $(sed -n "s/^\$release *= *'\([^']*\)'.*/\1/p" "$MOODLE/version.php")"
else
  [ ! -e "$MOODLE" ] || die "$MOODLE exists but was not unpacked from this tarball: remove $ROOT (rm -rf) and re-run"
  rm -rf "$ROOT/.unpack"
  mkdir -p "$ROOT/.unpack"
  case "$TARBALL" in
    *.zip) run_logged "$LOGS/unpack.log" unzip -q "$TARBALL" -d "$ROOT/.unpack" ;;
    *) run_logged "$LOGS/unpack.log" tar -xaf "$TARBALL" -C "$ROOT/.unpack" --no-same-owner ;;
  esac
  [ -f "$ROOT/.unpack/moodle/version.php" ] || die "the tarball has no moodle/version.php"
  rm -f "$ROOT/.unpack/moodle/config.php"
  nfiles=$(find "$ROOT/.unpack/moodle" -type f | wc -l)
  echo "$SHA" > "$ROOT/.unpack/moodle/.tarball.sha256"
  mv "$ROOT/.unpack/moodle" "$MOODLE"
  rmdir "$ROOT/.unpack"
  ok "unpacked $nfiles files: $(sed -n "s/^\$release *= *'\([^']*\)'.*/\1/p" "$MOODLE/version.php")"
fi
grep -qE "^\\\$branch *= *'$EXPECTED_BRANCH';" "$MOODLE/version.php" \
  || die "$TARBALL is not a Moodle 5.0 release: $(grep -E '^\$branch' "$MOODLE/version.php")"

# ------------------------------------------------------------------------------------------------ 5
step "config.php and dataroot $DATAROOT"
mkdir -p "$DATAROOT"
chmod 777 "$DATAROOT"
CONFIG=$(cat <<EOF
<?php  // Moodle configuration file of the project's test Moodle (local testing only). Written by install.sh.

unset(\$CFG);
global \$CFG;
\$CFG = new stdClass();

// Several databases share this install: MOODLE_JUDGE_DB picks one (default: $DB).
\$judgedb = getenv('MOODLE_JUDGE_DB');
if (\$judgedb === false || \$judgedb === '') {
    \$judgedb = '$DB';
}
if (!preg_match('/^[A-Za-z0-9_]{1,63}\$/', \$judgedb)) {
    error_log("MOODLE_JUDGE_DB: bad database name");
    exit(2);
}
if (\$judgedb === '$TEMPLATE') {
    // The template of every copy (new-db.sh) must stay untouched and unconnected.
    error_log("MOODLE_JUDGE_DB: $TEMPLATE is the template database; make a copy with new-db.sh");
    exit(2);
}

\$CFG->dbtype    = 'pgsql';
\$CFG->dblibrary = 'native';
\$CFG->dbhost    = '127.0.0.1';
\$CFG->dbname    = \$judgedb;
\$CFG->dbuser    = 'moodle';
\$CFG->dbpass    = 'moodle';
\$CFG->prefix    = 'mdl_';
\$CFG->dboptions = array(
    'dbpersist' => 0,
    'dbport' => 5432,
    'dbsocket' => '',
);

// For PHP's built-in web server: php -S 127.0.0.1:PORT -t $MOODLE (MOODLE_JUDGE_PORT, default 8765).
\$CFG->wwwroot   = 'http://127.0.0.1:' . (getenv('MOODLE_JUDGE_PORT') ?: '8765');
\$CFG->dataroot  = '$DATAROOT';
\$CFG->admin     = 'admin';

\$CFG->directorypermissions = 0777;

// Never send mail.
\$CFG->noemailever = true;

// Each database other than '$DB' keeps its caches in its own folders under the dataroot.
if (\$judgedb !== '$DB') {
    \$CFG->cachedir      = \$CFG->dataroot . '/cache_' . \$judgedb;
    \$CFG->localcachedir = \$CFG->dataroot . '/localcache_' . \$judgedb;
}

require_once(__DIR__ . '/lib/setup.php');

// There is no php closing tag in this file,
// it is intentional because it prevents trailing whitespace problems!
EOF
)
if [ "$(cat "$MOODLE/config.php" 2>/dev/null)" = "$CONFIG" ]; then
  ok "config.php up to date"
else
  printf '%s\n' "$CONFIG" > "$MOODLE/config.php.new"
  php -l "$MOODLE/config.php.new" >/dev/null || die "config.php does not parse"
  mv "$MOODLE/config.php.new" "$MOODLE/config.php"
  ok "config.php written"
fi

# ------------------------------------------------------------------------------------------------ 6
step "install Moodle into database $DB"
INSTALLED_NOW=0
site_sql="select count(*) from mdl_config c, mdl_course s where c.name = 'rolesactive' and c.value = '1'
          and s.format = 'site' and s.fullname = '$SITENAME'"
complete=0
if dbexists "$DB" && [ "$(msql -d "$DB" -c "$site_sql" 2>/dev/null || true)" = 1 ]; then complete=1; fi
if [ "$complete" = 1 ] && [ -f "$MARK" ]; then
  ok "already installed: version $(msql -d "$DB" -c "select value from mdl_config where name = 'version'")"
else
  for d in "$DB" "$TEMPLATE"; do
    if dbexists "$d"; then
      owner=$(msql -d postgres -c "select pg_get_userbyid(datdba) from pg_database where datname = '$d'")
      [ "$owner" = moodle ] || die "database $d exists and belongs to $owner, not moodle: drop it and re-run"
      if [ "$complete" = 1 ]; then
        echo "      database $d holds a Moodle installed for another dataroot: dropping it"
      else
        echo "      database $d holds an incomplete install: dropping it"
      fi
      mpg dropdb "$d"
    fi
  done
  rm -rf "${DATAROOT:?}" "$DUMP"
  mkdir -p "$DATAROOT"
  chmod 777 "$DATAROOT"
  # UTF8 with the C.UTF-8 collation whatever the cluster's default, so sorting is the same everywhere.
  mpg createdb -O moodle -E UTF8 -T template0 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 "$DB"
  echo "      running admin/cli/install_database.php (about a minute; log: $LOGS/install.log)"
  : > "$LOGS/install.log"
  run_logged "$LOGS/install.log" env MOODLE_JUDGE_DB="$DB" php "$MOODLE/admin/cli/install_database.php" \
    --agree-license --adminuser=admin --adminpass="$ADMINPASS" --adminemail=admin@example.com \
    --fullname="$SITENAME" --shortname=judge
  [ "$(msql -d "$DB" -c "$site_sql")" = 1 ] || die "install_database.php ended but the site is incomplete; see $LOGS/install.log"
  echo "db=$DB installed=$(date -u '+%Y-%m-%dT%H:%M:%SZ') tarball=$SHA" > "$MARK"
  INSTALLED_NOW=1
  ok "$(tail -n 1 "$LOGS/install.log")"
fi

# ------------------------------------------------------------------------------------------------ 7
step "template database $TEMPLATE, $DUMP, new-db.sh, env.sh"
if dbexists "$TEMPLATE"; then
  echo "      template $TEMPLATE exists"
elif [ "$INSTALLED_NOW" = 1 ]; then
  busy=$(msql -d postgres -c "select count(*) from pg_stat_activity where datname = '$DB'")
  [ "$busy" = 0 ] || die "$busy session(s) connected to $DB: cannot copy it now; re-run when idle"
  mpg createdb -O moodle -T "$DB" "$TEMPLATE"
  echo "      template $TEMPLATE copied from the fresh $DB"
elif [ -s "$DUMP" ]; then
  mpg createdb -O moodle -E UTF8 -T template0 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 "$TEMPLATE"
  run_logged "$LOGS/restore.log" mpg pg_restore --exit-on-error --no-owner -d "$TEMPLATE" "$DUMP"
  echo "      template $TEMPLATE restored from $DUMP"
else
  die "no template $TEMPLATE and no $DUMP, and $DB may have changed since installation: run 'rm -rf $DATAROOT' and re-run"
fi
if [ -s "$DUMP" ]; then
  echo "      $DUMP exists"
else
  mpg pg_dump -Fc -d "$TEMPLATE" -f "$DUMP.new"
  mv "$DUMP.new" "$DUMP"
  echo "      $DUMP written ($(stat -c %s "$DUMP") bytes)"
fi

NEWDB=$(cat <<'EOF'
#!/bin/bash
# new-db.sh NAME — makes database NAME a fresh copy of the test Moodle as installed.
#
# Drops NAME if it exists (only when it is a copy of this install), copies the template database
# moodle_judge_fresh (createdb -O moodle -T moodle_judge_fresh NAME, well under a second) and removes NAME's
# cache folders under the dataroot. Then use it with MOODLE_JUDGE_DB=NAME. If the template is missing, it is
# first rebuilt from fresh.dump beside this script. Needs no root: logs in as moodle/moodle on 127.0.0.1:5432.
# Written by install.sh.
set -euo pipefail

NAME=${1:-}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATAROOT=$HERE/moodledata
DUMP=$HERE/fresh.dump
TEMPLATE=moodle_judge_fresh
T0=$EPOCHREALTIME

die() { echo "new-db.sh: $*" >&2; exit 2; }
case "$NAME" in
  '') die "usage: new-db.sh NAME   (NAME: lower-case letters, digits, _)" ;;
  "$TEMPLATE"|postgres|template0|template1) die "refusing to overwrite $NAME" ;;
  [0-9]*|*[!a-z0-9_]*) die "bad database name '$NAME' (lower-case letters, digits, _; not starting with a digit)" ;;
esac
[ "${#NAME}" -le 63 ] || die "database name longer than 63 characters"

export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=moodle PGPASSWORD=moodle
unset PGDATABASE PGSERVICE
q() { psql -X -q -v ON_ERROR_STOP=1 -tA "$@"; }
exists() { [ "$(q -d postgres -c "select 1 from pg_database where datname = '$1'")" = 1 ]; }

if ! exists "$TEMPLATE"; then
  [ -s "$DUMP" ] || die "template $TEMPLATE is missing and there is no $DUMP: run install.sh"
  echo "new-db.sh: template $TEMPLATE missing: rebuilding it from $DUMP" >&2
  createdb -O moodle -E UTF8 -T template0 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 "$TEMPLATE"
  pg_restore --exit-on-error --no-owner -d "$TEMPLATE" "$DUMP"
fi
if exists "$NAME"; then
  # Only replace copies of this install: their siteidentifier is the template's.
  site=$(q -d "$TEMPLATE" -c "select value from mdl_config where name = 'siteidentifier'")
  theirs=$(q -d "$NAME" -c "select value from mdl_config where name = 'siteidentifier'" 2>/dev/null || true)
  if [ -n "$theirs" ] && [ "$theirs" != "$site" ]; then
    die "$NAME holds another Moodle (siteidentifier differs from $TEMPLATE's); drop it yourself first"
  fi
  dropdb "$NAME"
fi
createdb -O moodle -T "$TEMPLATE" "$NAME"
if [ "$NAME" = moodle_judge ]; then
  # The default database uses the dataroot's own cache/ and localcache/ (see config.php).
  rm -rf "${DATAROOT:?}/cache/"* "${DATAROOT:?}/localcache/"*
else
  rm -rf "${DATAROOT:?}/cache_$NAME" "${DATAROOT:?}/localcache_$NAME"
fi
echo "$NAME: fresh copy of $TEMPLATE ($(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }') s)"
EOF
)
if [ "$(cat "$ROOT/new-db.sh" 2>/dev/null)" != "$NEWDB" ]; then
  printf '%s\n' "$NEWDB" > "$ROOT/new-db.sh"
  echo "      $ROOT/new-db.sh written"
fi
chmod 755 "$ROOT/new-db.sh"
ENVSH="export MOODLE_DIR=$MOODLE"
[ "$(cat "$ROOT/env.sh" 2>/dev/null)" = "$ENVSH" ] || printf '%s\n' "$ENVSH" > "$ROOT/env.sh"
ok "ready"

# ------------------------------------------------------------------------------------------------ 8
export MOODLE_DIR=$MOODLE
if [ "$INSTALLED_NOW" = 1 ] || [ "$FULLCHECK" = 1 ]; then
  step "checks: judge/check.php on $DB, users.php on a fresh copy"
  rc=0
  MOODLE_JUDGE_DB=$DB php "$JUDGE/check.php" > "$LOGS/check.json" 2> "$LOGS/check.err" || rc=$?
  php -r '$j = json_decode(file_get_contents($argv[1]), true);
    if (!is_array($j)) { echo "      check.php printed no JSON\n"; exit(1); }
    printf("      check.php on %s: Moodle %s (%s), ok=%s errors=%d warnings=%d\n", $j["moodle"]["dbname"],
        $j["moodle"]["release"], $j["moodle"]["version"], json_encode($j["ok"]), $j["errors"], $j["warnings"]);
    foreach ($j["problems"] as $p) { echo "        - ", $p["severity"], ": ", $p["check"], ": ", $p["message"], "\n"; }' \
    "$LOGS/check.json" || { tail -n 15 "$LOGS/check.err" | sed 's/^/      | /'; die "check.php failed; see $LOGS/check.err"; }
  [ "$rc" = 0 ] || die "check.php found errors on $DB (exit $rc); see $LOGS/check.json"
  TMPDB=${DB}_setup_check
  "$ROOT/new-db.sh" "$TMPDB" | sed 's/^/      /'
  rc=0
  MOODLE_JUDGE_DB=$TMPDB php "$JUDGE/users.php" --include-system > "$LOGS/users.json" 2> "$LOGS/users.err" || rc=$?
  mpg dropdb "$TMPDB"
  rm -rf "$DATAROOT/cache_$TMPDB" "$DATAROOT/localcache_$TMPDB"
  [ "$rc" = 0 ] || die "users.php failed on a fresh copy (exit $rc); see $LOGS/users.err"
  php -r '$j = json_decode(file_get_contents($argv[1]), true);
    echo "      users.php on a fresh copy: ", implode(", ", array_column($j["users"], "username")), "\n";' "$LOGS/users.json"
  ok "checks passed"
else
  step "quick check: boot Moodle on $DB"
  out=$(MOODLE_JUDGE_DB=$DB php -r 'define("CLI_SCRIPT", true); require getenv("MOODLE_DIR") . "/config.php";
    echo $CFG->release, " on ", $CFG->dbname, ", ", $DB->count_records("user"), " users";' 2>&1) \
    || die "Moodle does not boot on $DB: $out"
  ok "$out (install.sh --check runs the full checks)"
fi

echo
echo "test Moodle ready in $ROOT (total $(since "$T0") s)"
echo "  export MOODLE_DIR=$MOODLE        # or: . $ROOT/env.sh"
echo "  $ROOT/new-db.sh NAME             # NAME = fresh copy of the installed Moodle"
echo "  MOODLE_JUDGE_DB=NAME php $JUDGE/check.php"
