<?php
// Every row of the tables a feed can write, as Moodle's DML reads them, with ids replaced by natural keys
// (user:<username>, course:<shortname>, cat:<path of names>, ...), so that two sites loaded by different
// tools can be compared field by field. Also the row count of every table, to catch a table that one
// tool writes and the other does not. Written for moodle-sync's differential test; read-only.
//
// Prints {"tables": {TABLE: {KEY: {column: value}}}, "counts": {TABLE: N}}.

require(__DIR__ . '/lib.php');

$names = [];
$name = function(string $kind, $id) use (&$names) {
    if ($id === null || $id === '' || (string)$id === '0') {
        return $id === null ? null : '0';
    }
    return $names[$kind][(int)$id] ?? "$kind#?$id";
};

foreach ($DB->get_records('user', null, '', 'id, username') as $r) {
    $names['user'][$r->id] = 'user:' . $r->username;
}
foreach ($DB->get_records('role', null, '', 'id, shortname') as $r) {
    $names['role'][$r->id] = 'role:' . $r->shortname;
}
foreach ($DB->get_records('course', null, '', 'id, shortname') as $r) {
    $names['course'][$r->id] = 'course:' . $r->shortname;
}
$cats = $DB->get_records('course_categories', null, '', 'id, name, parent');
$catpath = function($id) use (&$catpath, $cats) {
    $c = $cats[$id] ?? null;
    return $c === null ? "?$id" : ($c->parent ? $catpath($c->parent) . '/' : '') . $c->name;
};
foreach ($cats as $c) {
    $names['cat'][$c->id] = 'cat:' . $catpath($c->id);
}
foreach ($DB->get_records('modules', null, '', 'id, name') as $r) {
    $names['module'][$r->id] = $r->name;
}
foreach ($DB->get_records('course_sections', null, '', 'id, course, section') as $r) {
    $names['section'][$r->id] = 'section:' . $name('course', $r->course) . '#' . $r->section;
}
foreach ($DB->get_records('groups', null, '', 'id, courseid, name') as $r) {
    $names['group'][$r->id] = 'group:' . $name('course', $r->courseid) . '/' . $r->name;
}
foreach ($DB->get_records('groupings', null, '', 'id, courseid, name') as $r) {
    $names['grouping'][$r->id] = 'grouping:' . $name('course', $r->courseid) . '/' . $r->name;
}
foreach ($DB->get_records('cohort', null, '', 'id, idnumber, name') as $r) {
    $names['cohort'][$r->id] = 'cohort:' . ($r->idnumber !== '' && $r->idnumber !== null ? $r->idnumber : $r->name);
}
$seen = [];
foreach ($DB->get_records('enrol', null, 'courseid, sortorder, id', 'id, courseid, enrol') as $r) {
    $base = 'enrol:' . $name('course', $r->courseid) . '/' . $r->enrol;
    $n = $seen[$base] = ($seen[$base] ?? 0) + 1;
    $names['enrol'][$r->id] = $base . '#' . $n;
}
foreach ($DB->get_records('course_modules', null, '', 'id, course, module, instance') as $r) {
    $mod = $names['module'][$r->module] ?? '?';
    $iname = $DB->get_field($mod, 'name', ['id' => $r->instance]);
    $names['cm'][$r->id] = 'cm:' . $name('course', $r->course) . '/' . $mod . '/' . $iname;
    $names['instance'][$r->id] = $iname;
}
foreach ($DB->get_records('user_info_field', null, '', 'id, shortname') as $r) {
    $names['field'][$r->id] = 'field:' . $r->shortname;
}
foreach ($DB->get_records('context', null, '', 'id, contextlevel, instanceid') as $r) {
    $kind = [CONTEXT_SYSTEM => null, CONTEXT_USER => 'user', CONTEXT_COURSECAT => 'cat', CONTEXT_COURSE => 'course',
        CONTEXT_MODULE => 'cm', CONTEXT_BLOCK => 'block'][$r->contextlevel] ?? 'level' . $r->contextlevel;
    $names['context'][$r->id] = 'ctx:' . ($kind === null ? 'system' : ($kind === 'block' ? 'block#' . $r->instanceid
        : $name($kind, $r->instanceid)));
}
foreach ($DB->get_records('files', null, '', 'id, contextid, component, filearea, itemid, filepath, filename') as $r) {
    $names['file'][$r->id] = 'file:' . $name('context', $r->contextid) . '/' . $r->component . '/' . $r->filearea . '/'
        . $r->itemid . $r->filepath . $r->filename;
}
$ctxpath = function($path) use ($name) {
    return $path === null ? null : implode('', array_map(fn($id) => '/' . $name('context', $id), array_filter(explode('/', $path), 'strlen')));
};

// table => [key columns (after mapping), column => kind of id it holds]
$spec = [
    'user' => [['username', 'mnethostid'], ['picture' => 'file']],
    'course_categories' => [['id'], ['id' => 'cat', 'parent' => 'cat']],
    'course' => [['shortname'], ['category' => 'cat']],
    'context' => [['id'], ['id' => 'context']],
    'course_sections' => [['course', 'section'], ['course' => 'course']],
    'course_format_options' => [['courseid', 'format', 'sectionid', 'name'], ['courseid' => 'course', 'sectionid' => 'section']],
    'enrol' => [['id'], ['id' => 'enrol', 'courseid' => 'course', 'roleid' => 'role']],
    'user_enrolments' => [['enrolid', 'userid'], ['enrolid' => 'enrol', 'userid' => 'user', 'modifierid' => 'user']],
    'role_assignments' => [['contextid', 'roleid', 'userid', 'component', 'itemid'],
        ['contextid' => 'context', 'roleid' => 'role', 'userid' => 'user', 'modifierid' => 'user']],
    'groups' => [['courseid', 'name'], ['courseid' => 'course']],
    'groups_members' => [['groupid', 'userid'], ['groupid' => 'group', 'userid' => 'user']],
    'groupings' => [['courseid', 'name'], ['courseid' => 'course']],
    'groupings_groups' => [['groupingid', 'groupid'], ['groupingid' => 'grouping', 'groupid' => 'group']],
    'cohort' => [['id'], ['id' => 'cohort', 'contextid' => 'context']],
    'cohort_members' => [['cohortid', 'userid'], ['cohortid' => 'cohort', 'userid' => 'user']],
    'course_modules' => [['id'], ['id' => 'cm', 'course' => 'course', 'module' => 'module', 'section' => 'section']],
    'forum' => [['course', 'type', 'name'], ['course' => 'course']],
    'user_preferences' => [['userid', 'name'], ['userid' => 'user']],
    'user_info_data' => [['userid', 'fieldid'], ['userid' => 'user', 'fieldid' => 'field']],
    'files' => [['contextid', 'component', 'filearea', 'itemid', 'filepath', 'filename'], ['contextid' => 'context', 'userid' => 'user']],
    'block_instances' => [['parentcontextid', 'blockname', 'defaultregion', 'defaultweight'], ['parentcontextid' => 'context']],
];

$tables = [];
foreach ($spec as $table => [$keycols, $map]) {
    $rows = [];
    foreach ($DB->get_recordset($table, null, 'id') as $r) {
        $row = (array)$r;
        $rawid = $row['id'];
        foreach ($map as $col => $kind) {
            if (array_key_exists($col, $row)) {
                $row[$col] = $name($kind, $row[$col]);
            }
        }
        if ($table === 'context') {
            $row['instanceid'] = null;
            $row['path'] = $ctxpath($row['path']);
        } else if ($table === 'course_categories') {
            $row['path'] = implode('', array_map(fn($id) => '/' . $name('cat', $id), array_filter(explode('/', $row['path']), 'strlen')));
        } else if ($table === 'course_sections') {
            $row['sequence'] = implode(',', array_map(fn($id) => $name('cm', $id), array_filter(explode(',', (string)$row['sequence']), 'strlen')));
        } else if ($table === 'course_modules') {
            $row['instance'] = $names['instance'][$rawid] ?? null;
        } else if ($table === 'role_assignments' || $table === 'groups_members') {
            if (str_starts_with((string)$row['component'], 'enrol_')) {
                $row['itemid'] = $name('enrol', $row['itemid']);
            }
        } else if ($table === 'enrol') {
            if ($row['enrol'] === 'cohort') {
                $row['customint1'] = $name('cohort', $row['customint1']);
                $row['customint2'] = $name('group', $row['customint2']);
            } else if ($row['enrol'] === 'meta') {
                $row['customint1'] = $name('course', $row['customint1']);
                $row['customint2'] = $name('group', $row['customint2']);
            }
        }
        $key = implode(' | ', array_map(fn($c) => (string)$row[$c], $keycols));
        unset($row['id']);
        $rows[$key] = $row;
    }
    ksort($rows);
    $tables[$table] = $rows;
}
$counts = [];
foreach ($DB->get_tables(false) as $t) {
    $counts[$t] = $DB->count_records($t);
}
ksort($counts);
judge_json(['tables' => $tables, 'counts' => $counts]);
judge_finish();
