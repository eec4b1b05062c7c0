<?php
// WRITES: changes site settings through set_config(), as the admin pages do, e.g. to give a test site other
// defaults than a fresh install's. Arguments: NAME=VALUE (core, $CFG->NAME) or PLUGIN/NAME=VALUE
// (config_plugins, e.g. moodlecourse/format=weeks). Prints {"set": {...}}.

define('JUDGE_WRITES', true);
require(__DIR__ . '/lib.php');

$set = [];
foreach (array_slice($argv, 1) as $arg) {
    if (!preg_match('~^(?:([a-z0-9_]+)/)?([a-z0-9_]+)=(.*)$~s', $arg, $m)) {
        fwrite(STDERR, "set-config.php: expected NAME=VALUE or PLUGIN/NAME=VALUE, not $arg\n");
        exit(2);
    }
    set_config($m[2], $m[3], $m[1] === '' ? null : $m[1]);
    $set[$arg] = true;
}
\cache_helper::purge_all();
judge_json(['set' => array_keys($set)]);
judge_finish();
