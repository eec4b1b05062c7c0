-- Seed of a fresh Moodle 5.0 site (version 2025041406.11), as observed after a non-interactive install.
-- ${prefix} is replaced by the table prefix. Statements end with ';' at end of line.
-- Explicit ids mirror the fresh install; every sequence is then moved past them (setval at the end).

-- System context (id 1), site course context (2), default category context (3),
-- guest user context (4), admin user context (5), five block contexts (6..10).
INSERT INTO ${prefix}context (id, contextlevel, instanceid, path, depth, locked) VALUES
    (1, 10, 0, '/1', 1, 0),
    (2, 50, 1, '/1/2', 2, 0),
    (3, 40, 1, '/1/3', 2, 0),
    (4, 30, 1, '/1/4', 2, 0),
    (5, 30, 2, '/1/5', 2, 0),
    (6, 80, 1, '/1/6', 2, 0),
    (7, 80, 2, '/1/7', 2, 0),
    (8, 80, 3, '/1/8', 2, 0),
    (9, 80, 4, '/1/9', 2, 0),
    (10, 80, 5, '/1/10', 2, 0);

-- Site (front page) course, SITEID = 1. sortorder 1 as after the first fix_course_sortorder().
INSERT INTO ${prefix}course (id, category, sortorder, fullname, shortname, idnumber, summary, summaryformat,
        format, showgrades, newsitems, startdate, enddate, visible, visibleold, timecreated, timemodified)
    VALUES (1, 0, 1, 'moodle-sync demo site', 'demo', '', '', 0,
        'site', 1, 3, 0, 0, 1, 1, EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint);

-- Default category.
INSERT INTO ${prefix}course_categories (id, name, idnumber, description, descriptionformat, parent, sortorder,
        coursecount, visible, visibleold, timemodified, depth, path)
    VALUES (1, 'Category 1', '', NULL, 0, 0, 10000, 0, 1, 1, EXTRACT(EPOCH FROM now())::bigint, 1, '/1');

-- Guest (1) and admin (2). Passwords: SHA-512 crypt ($6$rounds=10000$...) as Moodle 5.0 writes them.
-- guest: 'guest' (as Moodle's installer does); admin: 'Admin#2025' (demo only).
INSERT INTO ${prefix}user (id, auth, confirmed, mnethostid, username, password, firstname, lastname, email,
        description, lang, calendartype, timezone, maildisplay, lastip, timecreated, timemodified)
    VALUES
    (1, 'manual', 1, 1, 'guest', '$6$rounds=10000$gUeStSaLt0123456$OGKu/.4fKto6YOFiZ2sn8pUMSD.s3B.TimfbLCcQc.LFGTmzYLs7COoNtAOJ8xOpUYJS8PmZWeZaRyT15WGmM/',
        'Guest user', ' ', 'root@localhost',
        'This user is a special user that allows read-only access to some courses.', 'en', 'gregorian', '99', 2, '',
        0, EXTRACT(EPOCH FROM now())::bigint),
    (2, 'manual', 1, 1, 'admin', '$6$rounds=10000$aDmInSaLt0123456$QZcgKojKaKl3zhSKYIUx34mH.0EwyIRS1Q3TReSDYi0UyCnAa95LHxiUxCybeH/5E1sWa2ndcC.eZL2hzjUK./',
        'Admin', 'User', 'admin@example.com',
        NULL, 'en', 'gregorian', '99', 1, '0.0.0.0',
        0, EXTRACT(EPOCH FROM now())::bigint);

-- Default roles.
INSERT INTO ${prefix}role (id, name, shortname, description, sortorder, archetype) VALUES
    (1, '', 'manager', '', 1, 'manager'),
    (2, '', 'coursecreator', '', 2, 'coursecreator'),
    (3, '', 'editingteacher', '', 3, 'editingteacher'),
    (4, '', 'teacher', '', 4, 'teacher'),
    (5, '', 'student', '', 5, 'student'),
    (6, '', 'guest', '', 6, 'guest'),
    (7, '', 'user', '', 7, 'user'),
    (8, '', 'frontpage', '', 8, 'frontpage');

-- Where each default role can be assigned.
INSERT INTO ${prefix}role_context_levels (id, roleid, contextlevel) VALUES
    (1, 1, 10),
    (2, 1, 40),
    (3, 1, 50),
    (4, 2, 10),
    (5, 2, 40),
    (6, 3, 50),
    (7, 3, 70),
    (8, 4, 50),
    (9, 4, 70),
    (10, 5, 50),
    (11, 5, 70);

-- (Admins are $CFG->siteadmins, not a role assignment: a fresh install has no role_assignments.)

-- Default dashboard / my courses pages (lib/db/install.php).
INSERT INTO ${prefix}my_pages (id, userid, name, private, sortorder) VALUES
    (1, NULL, '__default', 0, 0),
    (2, NULL, '__default', 1, 0),
    (3, NULL, '__courses', 0, 0);

-- Default system blocks (blocks_add_default_system_blocks()), block contexts 6..10.
INSERT INTO ${prefix}block_instances (id, blockname, parentcontextid, showinsubcontexts, requiredbytheme,
        pagetypepattern, subpagepattern, defaultregion, defaultweight, configdata, timecreated, timemodified) VALUES
    (1, 'admin_bookmarks', 1, 0, 0, 'admin-*', NULL, 'side-pre', 2, '', EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint),
    (2, 'recentlyaccesseditems', 1, 0, 0, 'my-index', '2', 'side-post', 0, '', EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint),
    (3, 'timeline', 1, 0, 0, 'my-index', '2', 'content', 0, '', EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint),
    (4, 'calendar_month', 1, 0, 0, 'my-index', '2', 'content', 1, '', EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint),
    (5, 'myoverview', 1, 0, 0, 'my-index', '3', 'content', 0, '', EXTRACT(EPOCH FROM now())::bigint, EXTRACT(EPOCH FROM now())::bigint);

-- The 23 activity modules of a fresh Moodle 5.0 (alphabetical install order; BigBlueButton ships disabled).
INSERT INTO ${prefix}modules (id, name, cron, lastcron, search, visible) VALUES
    (1, 'assign', 0, 0, '', 1),
    (2, 'bigbluebuttonbn', 0, 0, '', 0),
    (3, 'book', 0, 0, '', 1),
    (4, 'choice', 0, 0, '', 1),
    (5, 'data', 0, 0, '', 1),
    (6, 'feedback', 0, 0, '', 1),
    (7, 'folder', 0, 0, '', 1),
    (8, 'forum', 0, 0, '', 1),
    (9, 'glossary', 0, 0, '', 1),
    (10, 'h5pactivity', 0, 0, '', 1),
    (11, 'imscp', 0, 0, '', 1),
    (12, 'label', 0, 0, '', 1),
    (13, 'lesson', 0, 0, '', 1),
    (14, 'lti', 0, 0, '', 1),
    (15, 'page', 0, 0, '', 1),
    (16, 'qbank', 0, 0, '', 1),
    (17, 'quiz', 0, 0, '', 1),
    (18, 'resource', 0, 0, '', 1),
    (19, 'scorm', 0, 0, '', 1),
    (20, 'subsection', 0, 0, '', 1),
    (21, 'url', 0, 0, '', 1),
    (22, 'wiki', 0, 0, '', 1),
    (23, 'workshop', 0, 0, '', 1);

-- Core settings ($CFG) that moodle-sync reads.
INSERT INTO ${prefix}config (name, value) VALUES
    ('version', '2025041406.11'),
    ('release', '5.0.6+ (Build: 20260403)'),
    ('branch', '500'),
    ('mnet_localhost_id', '1'),
    ('lang', 'en'),
    ('country', '0'),
    ('timezone', 'Europe/London'),
    ('forcetimezone', '99'),
    ('defaultcity', ''),
    ('siteadmins', '2'),
    ('siteguest', '1'),
    ('auth', 'email'),
    ('registerauth', ''),
    ('allowaccountssameemail', '0'),
    ('extendedusernamechars', '0'),
    ('enrol_plugins_enabled', 'manual,guest,self,cohort'),
    ('passwordpolicy', '1'),
    ('defaultrequestcategory', '1'),
    ('langlist', ''),
    ('calendartype', 'gregorian'),
    ('enablecompletion', '1'),
    ('defaultpreference_maildisplay', '2'),
    ('defaultpreference_mailformat', '1'),
    ('defaultpreference_maildigest', '0'),
    ('defaultpreference_autosubscribe', '1'),
    ('defaultpreference_trackforums', '0'),
    ('forum_announcementsubscription', '1'),
    ('forum_announcementmaxattachments', '1'),
    ('siteidentifier', 'mOoDlEsYnCdEmO0123456789abcdef01localhost');

-- Plugin settings moodle-sync reads (enrol defaults, new-course defaults).
INSERT INTO ${prefix}config_plugins (plugin, name, value) VALUES
    ('enrol_cohort', 'roleid', '5'),
    ('enrol_cohort', 'unenrolaction', '0'),
    ('enrol_guest', 'defaultenrol', '1'),
    ('enrol_guest', 'requirepassword', '0'),
    ('enrol_guest', 'showhint', '0'),
    ('enrol_guest', 'status', '1'),
    ('enrol_guest', 'status_adv', ''),
    ('enrol_guest', 'usepasswordpolicy', '0'),
    ('enrol_manual', 'defaultenrol', '1'),
    ('enrol_manual', 'enrolperiod', '0'),
    ('enrol_manual', 'enrolstart', '4'),
    ('enrol_manual', 'expiredaction', '1'),
    ('enrol_manual', 'expirynotify', '0'),
    ('enrol_manual', 'expirynotifyhour', '6'),
    ('enrol_manual', 'expirythreshold', '86400'),
    ('enrol_manual', 'roleid', '5'),
    ('enrol_manual', 'sendcoursewelcomemessage', '1'),
    ('enrol_manual', 'status', '0'),
    ('enrol_meta', 'coursesort', 'sortorder'),
    ('enrol_meta', 'nosyncroleids', ''),
    ('enrol_meta', 'syncall', '1'),
    ('enrol_meta', 'unenrolaction', '3'),
    ('enrol_self', 'defaultenrol', '1'),
    ('enrol_self', 'enrolperiod', '0'),
    ('enrol_self', 'expiredaction', '1'),
    ('enrol_self', 'expirynotify', '0'),
    ('enrol_self', 'expirynotifyhour', '6'),
    ('enrol_self', 'expirythreshold', '86400'),
    ('enrol_self', 'groupkey', '0'),
    ('enrol_self', 'longtimenosee', '0'),
    ('enrol_self', 'maxenrolled', '0'),
    ('enrol_self', 'newenrols', '1'),
    ('enrol_self', 'requirepassword', '0'),
    ('enrol_self', 'roleid', '5'),
    ('enrol_self', 'sendcoursewelcomemessage', '1'),
    ('enrol_self', 'showhint', '0'),
    ('enrol_self', 'status', '1'),
    ('enrol_self', 'usepasswordpolicy', '0'),
    ('moodlecourse', 'coursecommunicationprovider', 'none'),
    ('moodlecourse', 'coursedisplay', '0'),
    ('moodlecourse', 'courseduration', '31536000'),
    ('moodlecourse', 'courseenddateenabled', '1'),
    ('moodlecourse', 'downloadcontentsitedefault', '0'),
    ('moodlecourse', 'enablecompletion', '1'),
    ('moodlecourse', 'format', 'topics'),
    ('moodlecourse', 'groupmode', '0'),
    ('moodlecourse', 'groupmodeforce', '0'),
    ('moodlecourse', 'hiddensections', '1'),
    ('moodlecourse', 'lang', ''),
    ('moodlecourse', 'maxbytes', '0'),
    ('moodlecourse', 'maxsections', '52'),
    ('moodlecourse', 'newsitems', '5'),
    ('moodlecourse', 'numsections', '4'),
    ('moodlecourse', 'participantsperpage', '20'),
    ('moodlecourse', 'showactivitydates', '1'),
    ('moodlecourse', 'showcompletionconditions', '1'),
    ('moodlecourse', 'showgrades', '1'),
    ('moodlecourse', 'showreports', '0'),
    ('moodlecourse', 'visible', '1');

-- Installed plugins: one (plugin, 'version') row each, as Moodle records them.
INSERT INTO ${prefix}config_plugins (plugin, name, value) VALUES
    ('auth_cas', 'version', '2025041400'),
    ('auth_db', 'version', '2025041400'),
    ('auth_email', 'version', '2025041400'),
    ('auth_ldap', 'version', '2025041400'),
    ('auth_lti', 'version', '2025041400'),
    ('auth_manual', 'version', '2025041400'),
    ('auth_mnet', 'version', '2025041400'),
    ('auth_nologin', 'version', '2025041400'),
    ('auth_none', 'version', '2025041400'),
    ('auth_oauth2', 'version', '2025041400'),
    ('auth_shibboleth', 'version', '2025041400'),
    ('auth_webservice', 'version', '2025041400'),
    ('enrol_category', 'version', '2025041400'),
    ('enrol_cohort', 'version', '2025041400'),
    ('enrol_database', 'version', '2025041400'),
    ('enrol_fee', 'version', '2025041400'),
    ('enrol_flatfile', 'version', '2025041400'),
    ('enrol_guest', 'version', '2025041400'),
    ('enrol_imsenterprise', 'version', '2025041400'),
    ('enrol_ldap', 'version', '2025041400'),
    ('enrol_lti', 'version', '2025041400'),
    ('enrol_manual', 'version', '2025041400'),
    ('enrol_meta', 'version', '2025041400'),
    ('enrol_mnet', 'version', '2025041400'),
    ('enrol_paypal', 'version', '2025041400'),
    ('enrol_self', 'version', '2025041400'),
    ('format_singleactivity', 'version', '2025041400'),
    ('format_social', 'version', '2025041400'),
    ('format_topics', 'version', '2025041400'),
    ('format_weeks', 'version', '2025041400'),
    ('mod_assign', 'version', '2025041400'),
    ('mod_bigbluebuttonbn', 'version', '2025041400'),
    ('mod_book', 'version', '2025041400'),
    ('mod_choice', 'version', '2025041400'),
    ('mod_data', 'version', '2025041400'),
    ('mod_feedback', 'version', '2025041400'),
    ('mod_folder', 'version', '2025041400'),
    ('mod_forum', 'version', '2025041400'),
    ('mod_glossary', 'version', '2025041400'),
    ('mod_h5pactivity', 'version', '2025041400'),
    ('mod_imscp', 'version', '2025041400'),
    ('mod_label', 'version', '2025041400'),
    ('mod_lesson', 'version', '2025041400'),
    ('mod_lti', 'version', '2025041400'),
    ('mod_page', 'version', '2025041400'),
    ('mod_qbank', 'version', '2025041400'),
    ('mod_quiz', 'version', '2025041400'),
    ('mod_resource', 'version', '2025041400'),
    ('mod_scorm', 'version', '2025041400'),
    ('mod_subsection', 'version', '2025041400'),
    ('mod_url', 'version', '2025041400'),
    ('mod_wiki', 'version', '2025041400'),
    ('mod_workshop', 'version', '2025041400');

-- Move every sequence past the explicit ids, so nextval continues like Moodle's fresh state
-- (context 11, user 3, course 2, course_categories 2, role 9, role_context_levels 12, ...).
SELECT setval('${prefix}context_id_seq', (SELECT max(id) FROM ${prefix}context));
SELECT setval('${prefix}course_id_seq', (SELECT max(id) FROM ${prefix}course));
SELECT setval('${prefix}course_categories_id_seq', (SELECT max(id) FROM ${prefix}course_categories));
SELECT setval('${prefix}user_id_seq', (SELECT max(id) FROM ${prefix}user));
SELECT setval('${prefix}role_id_seq', (SELECT max(id) FROM ${prefix}role));
SELECT setval('${prefix}role_context_levels_id_seq', (SELECT max(id) FROM ${prefix}role_context_levels));
SELECT setval('${prefix}my_pages_id_seq', (SELECT max(id) FROM ${prefix}my_pages));
SELECT setval('${prefix}block_instances_id_seq', (SELECT max(id) FROM ${prefix}block_instances));
SELECT setval('${prefix}modules_id_seq', (SELECT max(id) FROM ${prefix}modules));
