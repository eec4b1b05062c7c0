<?php
// moodle-sync: invalidates Moodle's caches (MUC) for what a feed file changed, with Moodle's own
// cache API. moodle-sync runs it once per file (moodle.cache.invalidation=command) and writes the
// invalidations as JSON on its standard input:
//   {"events":["changesincoursecat"],"definitions":{"core/groupdata":[12]},
//    "purge":["core/user_group_groupings"],"courses":[12]}
// Usage (as the web server's user, on the Moodle host or through ssh):
//   php invalidate.php --moodle=/var/www/moodle < invalidations.json
// Exit codes: 0 done, 1 bad usage or input, 2 Moodle refused. See docs/moodle-caches.md.

define('CLI_SCRIPT', true);

$options = getopt('', ['moodle:']);
if (empty($options['moodle']) || !is_readable($options['moodle'] . '/config.php')) {
    fwrite(STDERR, "usage: php invalidate.php --moodle=<Moodle's code folder, holding config.php>\n");
    exit(1);
}
require($options['moodle'] . '/config.php');

$input = json_decode(stream_get_contents(STDIN), true);
if (!is_array($input)) {
    fwrite(STDERR, "the standard input is not the JSON moodle-sync writes\n");
    exit(1);
}
$events = ['changesincoursecat', 'changesincourse', 'changesincategoryenrolment'];
$definition = '/^([a-z0-9_]+)\/([a-z0-9_]+)$/';
$ids = function($list) {
    return array_values(array_map('intval', array_filter((array) $list, 'is_numeric')));
};

try {
    $done = [];
    foreach ((array) ($input['events'] ?? []) as $event) {
        if (in_array($event, $events, true)) {
            cache_helper::purge_by_event($event);
            $done[] = "event $event";
        }
    }
    foreach ((array) ($input['definitions'] ?? []) as $name => $keys) {
        if (preg_match($definition, $name, $m) && ($keys = $ids($keys))) {
            cache_helper::invalidate_by_definition($m[1], $m[2], [], $keys);
            $done[] = "$name (" . count($keys) . " keys)";
        }
    }
    foreach ((array) ($input['purge'] ?? []) as $name) {
        if (preg_match($definition, $name, $m)) {
            cache_helper::purge_by_definition($m[1], $m[2]);
            $done[] = "$name (all)";
        }
    }
    // moodle-sync already bumped these courses' cacherev; dropping their entries frees the store early.
    if ($courses = $ids($input['courses'] ?? [])) {
        if (method_exists('course_modinfo', 'purge_course_caches')) {
            course_modinfo::purge_course_caches($courses);
        } else {
            cache::make('core', 'coursemodinfo')->delete_many($courses);
        }
        $done[] = 'coursemodinfo of ' . count($courses) . ' courses';
    }
} catch (Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(2);
}
echo ($done ? 'invalidated ' . implode(', ', $done) : 'nothing to invalidate') . "\n";
exit(0);
