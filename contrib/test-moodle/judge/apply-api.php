<?php
// WRITES: applies a list of operations through Moodle's own APIs, as a site administrator's actions would:
// enrol_user(), groups_create_group(), groups_create_grouping(), groups_assign_grouping(), groups_add_member(),
// cohort_add_cohort(), cohort_add_member(), enrol_cohort and enrol_meta instances with their sync.
// Usage: php apply-api.php --file=ops.json, where ops.json is a JSON list of objects naming courses by
// idnumber, users by username, groups and groupings by name, cohorts by idnumber:
//   {"op":"enrol","course":"M1","user":"u1","role":"student","timestart":0,"timeend":0}
//   {"op":"group","course":"M1","name":"G","idnumber":"","description":""}
//   {"op":"grouping","course":"M1","name":"GG","idnumber":"","description":""}
//   {"op":"assign_grouping","course":"M1","grouping":"GG","group":"G"}
//   {"op":"member","course":"M1","group":"G","user":"u1"}
//   {"op":"cohort","idnumber":"C1","name":"Cohort","description":""}
//   {"op":"cohort_member","cohort":"C1","user":"u1"}
//   {"op":"cohort_sync","course":"M1","cohort":"C1","role":"student","makegroup":true}
//   {"op":"meta","master":"M1","meta":"M2"}
//   {"op":"profile_field","shortname":"dept","name":"Department code"}      (admin setup: a text field)
//   {"op":"profile_data","user":"u1","shortname":"dept","value":"D-42"}
//   {"op":"picture","user":"u1","file":"/path/to/picture.png"}             (the core of core_user::update_picture)
// Prints {"applied": N}.

define('JUDGE_WRITES', true);
require(__DIR__ . '/lib.php');
require_once($CFG->dirroot . '/enrol/cohort/locallib.php');
require_once($CFG->dirroot . '/enrol/meta/locallib.php');
require_once($CFG->dirroot . '/user/profile/definelib.php');
require_once($CFG->libdir . '/gdlib.php');

[$opts] = cli_get_params(['file' => '']);
\core\session\manager::set_user(get_admin());
$ops = json_decode(file_get_contents($opts['file']), true, 512, JSON_THROW_ON_ERROR);

$course = fn($idnumber) => $DB->get_record('course', ['idnumber' => $idnumber], '*', MUST_EXIST);
$user = fn($username) => $DB->get_record('user', ['username' => $username, 'deleted' => 0], '*', MUST_EXIST);
$role = fn($shortname) => $DB->get_field('role', 'id', ['shortname' => $shortname], MUST_EXIST);
$group = fn($courseid, $name) => $DB->get_field('groups', 'id', ['courseid' => $courseid, 'name' => $name], MUST_EXIST);
$cohort = fn($idnumber) => $DB->get_record('cohort', ['idnumber' => $idnumber], '*', MUST_EXIST);

foreach ($ops as $op) {
    switch ($op['op']) {
        case 'enrol':
            $c = $course($op['course']);
            $instance = $DB->get_record('enrol', ['courseid' => $c->id, 'enrol' => 'manual'], '*', MUST_EXIST);
            enrol_get_plugin('manual')->enrol_user($instance, $user($op['user'])->id, $role($op['role']),
                (int)($op['timestart'] ?? 0), (int)($op['timeend'] ?? 0));
            break;
        case 'group':
            groups_create_group((object)['courseid' => $course($op['course'])->id, 'name' => $op['name'],
                'idnumber' => $op['idnumber'] ?? '', 'description' => $op['description'] ?? '']);
            break;
        case 'grouping':
            groups_create_grouping((object)['courseid' => $course($op['course'])->id, 'name' => $op['name'],
                'idnumber' => $op['idnumber'] ?? '', 'description' => $op['description'] ?? '']);
            break;
        case 'assign_grouping':
            $c = $course($op['course']);
            groups_assign_grouping($DB->get_field('groupings', 'id', ['courseid' => $c->id, 'name' => $op['grouping']], MUST_EXIST),
                $group($c->id, $op['group']));
            break;
        case 'member':
            $c = $course($op['course']);
            groups_add_member($group($c->id, $op['group']), $user($op['user'])->id);
            break;
        case 'cohort':
            cohort_add_cohort((object)['contextid' => context_system::instance()->id, 'name' => $op['name'],
                'idnumber' => $op['idnumber'], 'description' => $op['description'] ?? '']);
            break;
        case 'cohort_member':
            cohort_add_member($cohort($op['cohort'])->id, $user($op['user'])->id);
            break;
        case 'cohort_sync':
            $c = $course($op['course']);
            $h = $cohort($op['cohort']);
            $groupid = !empty($op['makegroup']) ? enrol_cohort_create_new_group($c->id, $h->id) : 0;
            enrol_get_plugin('cohort')->add_instance($c, ['customint1' => $h->id, 'roleid' => $role($op['role']),
                'customint2' => $groupid]);
            enrol_cohort_sync(new null_progress_trace(), $c->id);
            break;
        case 'meta':
            $meta = $course($op['meta']);
            enrol_get_plugin('meta')->add_instance($meta, ['customint1' => $course($op['master'])->id]);
            enrol_meta_sync($meta->id);
            break;
        case 'profile_field':
            if (!$catid = $DB->get_field_sql('SELECT MIN(id) FROM {user_info_category}')) {
                profile_save_category((object)['name' => 'Other fields']);
                $catid = $DB->get_field_sql('SELECT MIN(id) FROM {user_info_category}');
            }
            profile_save_field((object)['datatype' => 'text', 'shortname' => $op['shortname'], 'name' => $op['name'],
                'categoryid' => $catid, 'description' => ['text' => '', 'format' => FORMAT_HTML], 'defaultdata' => '',
                'required' => 0, 'locked' => 0, 'visible' => PROFILE_VISIBLE_ALL, 'forceunique' => 0, 'signup' => 0,
                'param1' => 30, 'param2' => 2048, 'param3' => 0, 'param4' => '', 'param5' => ''], []);
            break;
        case 'profile_data':
            profile_save_data((object)['id' => $user($op['user'])->id, 'profile_field_' . $op['shortname'] => $op['value']]);
            break;
        case 'picture':
            $u = $user($op['user']);
            $pic = (int)process_new_icon(\core\context\user::instance($u->id), 'user', 'icon', 0, $op['file']);
            $DB->set_field('user', 'picture', $pic, ['id' => $u->id]);
            break;
        default:
            throw new coding_exception('unknown op ' . $op['op']);
    }
}
judge_json(['applied' => count($ops)]);
judge_finish();
