<?php
// WRITES: creates the categories of the given paths ("A / B", one per line of --file) that do not exist yet,
// through core_course_category::create(), as a site administrator would before uploading courses with
// Moodle's upload tool (which does not create categories). Prints {"created": [paths]}.

define('JUDGE_WRITES', true);
require(__DIR__ . '/lib.php');

[$opts] = cli_get_params(['file' => '', 'visible' => 1]);
\core\session\manager::set_user(get_admin());
$created = [];
foreach (file($opts['file'], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $path) {
    $parent = 0;
    $sofar = [];
    foreach (array_map('trim', explode(' / ', $path)) as $name) {
        $sofar[] = $name;
        $id = $DB->get_field('course_categories', 'id', ['parent' => $parent, 'name' => $name]);
        if (!$id) {
            $id = \core_course_category::create(['name' => $name, 'parent' => $parent, 'visible' => (int)$opts['visible']])->id;
            $created[] = implode(' / ', $sofar);
        }
        $parent = $id;
    }
}
judge_json(['created' => $created]);
judge_finish();
