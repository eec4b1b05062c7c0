-- Moodle 5.0 schema subset (PostgreSQL), generated from moodle-schema-facts.md + install.xml.
-- ${prefix} is replaced by the table prefix (default mdl_). Sequences: ${prefix}<table>_id_seq (BIGSERIAL).
-- Index names follow Moodle's XMLDB naming (<prefix><tabl4chars>_<col3chars>_ix / _uix).

CREATE TABLE ${prefix}user (
    id BIGSERIAL,
    auth VARCHAR(20) NOT NULL DEFAULT 'manual',
    confirmed SMALLINT NOT NULL DEFAULT 0,
    policyagreed SMALLINT NOT NULL DEFAULT 0,
    deleted SMALLINT NOT NULL DEFAULT 0,
    suspended SMALLINT NOT NULL DEFAULT 0,
    mnethostid BIGINT NOT NULL DEFAULT 0,
    username VARCHAR(100) NOT NULL DEFAULT '',
    password VARCHAR(255) NOT NULL DEFAULT '',
    idnumber VARCHAR(255) NOT NULL DEFAULT '',
    firstname VARCHAR(100) NOT NULL DEFAULT '',
    lastname VARCHAR(100) NOT NULL DEFAULT '',
    email VARCHAR(100) NOT NULL DEFAULT '',
    emailstop SMALLINT NOT NULL DEFAULT 0,
    phone1 VARCHAR(20) NOT NULL DEFAULT '',
    phone2 VARCHAR(20) NOT NULL DEFAULT '',
    institution VARCHAR(255) NOT NULL DEFAULT '',
    department VARCHAR(255) NOT NULL DEFAULT '',
    address VARCHAR(255) NOT NULL DEFAULT '',
    city VARCHAR(120) NOT NULL DEFAULT '',
    country VARCHAR(2) NOT NULL DEFAULT '',
    lang VARCHAR(30) NOT NULL DEFAULT 'en',
    calendartype VARCHAR(30) NOT NULL DEFAULT 'gregorian',
    theme VARCHAR(50) NOT NULL DEFAULT '',
    timezone VARCHAR(100) NOT NULL DEFAULT '99',
    firstaccess BIGINT NOT NULL DEFAULT 0,
    lastaccess BIGINT NOT NULL DEFAULT 0,
    lastlogin BIGINT NOT NULL DEFAULT 0,
    currentlogin BIGINT NOT NULL DEFAULT 0,
    lastip VARCHAR(45) NOT NULL DEFAULT '',
    secret VARCHAR(15) NOT NULL DEFAULT '',
    picture BIGINT NOT NULL DEFAULT 0,
    description TEXT,
    descriptionformat SMALLINT NOT NULL DEFAULT 1,
    mailformat SMALLINT NOT NULL DEFAULT 1,
    maildigest SMALLINT NOT NULL DEFAULT 0,
    maildisplay SMALLINT NOT NULL DEFAULT 2,
    autosubscribe SMALLINT NOT NULL DEFAULT 1,
    trackforums SMALLINT NOT NULL DEFAULT 0,
    timecreated BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    trustbitmask BIGINT NOT NULL DEFAULT 0,
    imagealt VARCHAR(255),
    lastnamephonetic VARCHAR(255),
    firstnamephonetic VARCHAR(255),
    middlename VARCHAR(255),
    alternatename VARCHAR(255),
    moodlenetprofile VARCHAR(255),
    CONSTRAINT ${prefix}user_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}user_alt_ix ON ${prefix}user (alternatename);
CREATE INDEX ${prefix}user_aut_ix ON ${prefix}user (auth);
CREATE INDEX ${prefix}user_cit_ix ON ${prefix}user (city);
CREATE INDEX ${prefix}user_con_ix ON ${prefix}user (confirmed);
CREATE INDEX ${prefix}user_cou_ix ON ${prefix}user (country);
CREATE INDEX ${prefix}user_del_ix ON ${prefix}user (deleted);
CREATE INDEX ${prefix}user_ema_ix ON ${prefix}user (email);
CREATE INDEX ${prefix}user_fir_ix ON ${prefix}user (firstname);
CREATE INDEX ${prefix}user_fir2_ix ON ${prefix}user (firstnamephonetic);
CREATE INDEX ${prefix}user_idn_ix ON ${prefix}user (idnumber);
CREATE INDEX ${prefix}user_las_ix ON ${prefix}user (lastaccess);
CREATE INDEX ${prefix}user_las2_ix ON ${prefix}user (lastname);
CREATE INDEX ${prefix}user_las3_ix ON ${prefix}user (lastnamephonetic);
CREATE INDEX ${prefix}user_mid_ix ON ${prefix}user (middlename);
CREATE UNIQUE INDEX ${prefix}user_mneuse_uix ON ${prefix}user (mnethostid, username);

CREATE TABLE ${prefix}course (
    id BIGSERIAL,
    category BIGINT NOT NULL DEFAULT 0,
    sortorder BIGINT NOT NULL DEFAULT 0,
    fullname VARCHAR(1333) NOT NULL DEFAULT '',
    shortname VARCHAR(255) NOT NULL DEFAULT '',
    idnumber VARCHAR(100) NOT NULL DEFAULT '',
    summary TEXT,
    summaryformat SMALLINT NOT NULL DEFAULT 0,
    format VARCHAR(21) NOT NULL DEFAULT 'topics',
    showgrades SMALLINT NOT NULL DEFAULT 1,
    newsitems INTEGER NOT NULL DEFAULT 1,
    startdate BIGINT NOT NULL DEFAULT 0,
    enddate BIGINT NOT NULL DEFAULT 0,
    relativedatesmode SMALLINT NOT NULL DEFAULT 0,
    marker BIGINT NOT NULL DEFAULT 0,
    maxbytes BIGINT NOT NULL DEFAULT 0,
    legacyfiles SMALLINT NOT NULL DEFAULT 0,
    showreports SMALLINT NOT NULL DEFAULT 0,
    visible SMALLINT NOT NULL DEFAULT 1,
    visibleold SMALLINT NOT NULL DEFAULT 1,
    downloadcontent SMALLINT,
    groupmode SMALLINT NOT NULL DEFAULT 0,
    groupmodeforce SMALLINT NOT NULL DEFAULT 0,
    defaultgroupingid BIGINT NOT NULL DEFAULT 0,
    lang VARCHAR(30) NOT NULL DEFAULT '',
    calendartype VARCHAR(30) NOT NULL DEFAULT '',
    theme VARCHAR(50) NOT NULL DEFAULT '',
    timecreated BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    requested SMALLINT NOT NULL DEFAULT 0,
    enablecompletion SMALLINT NOT NULL DEFAULT 0,
    completionnotify SMALLINT NOT NULL DEFAULT 0,
    cacherev BIGINT NOT NULL DEFAULT 0,
    originalcourseid BIGINT,
    showactivitydates SMALLINT NOT NULL DEFAULT 1,
    showcompletionconditions SMALLINT,
    pdfexportfont VARCHAR(50),
    CONSTRAINT ${prefix}course_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}cour_cat_ix ON ${prefix}course (category);
CREATE INDEX ${prefix}cour_idn_ix ON ${prefix}course (idnumber);
CREATE INDEX ${prefix}cour_ori_ix ON ${prefix}course (originalcourseid);
CREATE INDEX ${prefix}cour_sho_ix ON ${prefix}course (shortname);
CREATE INDEX ${prefix}cour_sor_ix ON ${prefix}course (sortorder);

CREATE TABLE ${prefix}course_categories (
    id BIGSERIAL,
    name VARCHAR(255) NOT NULL DEFAULT '',
    idnumber VARCHAR(100),
    description TEXT,
    descriptionformat SMALLINT NOT NULL DEFAULT 0,
    parent BIGINT NOT NULL DEFAULT 0,
    sortorder BIGINT NOT NULL DEFAULT 0,
    coursecount BIGINT NOT NULL DEFAULT 0,
    visible SMALLINT NOT NULL DEFAULT 1,
    visibleold SMALLINT NOT NULL DEFAULT 1,
    timemodified BIGINT NOT NULL DEFAULT 0,
    depth BIGINT NOT NULL DEFAULT 0,
    path VARCHAR(255) NOT NULL DEFAULT '',
    theme VARCHAR(50),
    CONSTRAINT ${prefix}course_categories_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}courcate_par_ix ON ${prefix}course_categories (parent);

CREATE TABLE ${prefix}context (
    id BIGSERIAL,
    contextlevel BIGINT NOT NULL DEFAULT 0,
    instanceid BIGINT NOT NULL DEFAULT 0,
    path VARCHAR(255),
    depth SMALLINT NOT NULL DEFAULT 0,
    locked SMALLINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}context_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}cont_ins_ix ON ${prefix}context (instanceid);
CREATE INDEX ${prefix}cont_pat_ix ON ${prefix}context (path);
CREATE INDEX ${prefix}cont_pat2_ix ON ${prefix}context (path varchar_pattern_ops);
CREATE UNIQUE INDEX ${prefix}cont_conins_uix ON ${prefix}context (contextlevel, instanceid);

CREATE TABLE ${prefix}enrol (
    id BIGSERIAL,
    enrol VARCHAR(20) NOT NULL DEFAULT '',
    status BIGINT NOT NULL DEFAULT 0,
    courseid BIGINT NOT NULL,
    sortorder BIGINT NOT NULL DEFAULT 0,
    name VARCHAR(255),
    enrolperiod BIGINT DEFAULT 0,
    enrolstartdate BIGINT DEFAULT 0,
    enrolenddate BIGINT DEFAULT 0,
    expirynotify SMALLINT DEFAULT 0,
    expirythreshold BIGINT DEFAULT 0,
    notifyall SMALLINT DEFAULT 0,
    password VARCHAR(50),
    cost VARCHAR(20),
    currency VARCHAR(3),
    roleid BIGINT DEFAULT 0,
    customint1 BIGINT,
    customint2 BIGINT,
    customint3 BIGINT,
    customint4 BIGINT,
    customint5 BIGINT,
    customint6 BIGINT,
    customint7 BIGINT,
    customint8 BIGINT,
    customchar1 VARCHAR(255),
    customchar2 VARCHAR(255),
    customchar3 VARCHAR(1333),
    customdec1 NUMERIC(12,7),
    customdec2 NUMERIC(12,7),
    customtext1 TEXT,
    customtext2 TEXT,
    customtext3 TEXT,
    customtext4 TEXT,
    timecreated BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}enrol_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}enro_cou_ix ON ${prefix}enrol (courseid);
CREATE INDEX ${prefix}enro_enr_ix ON ${prefix}enrol (enrol);
CREATE INDEX ${prefix}enro_rol_ix ON ${prefix}enrol (roleid);

CREATE TABLE ${prefix}user_enrolments (
    id BIGSERIAL,
    status BIGINT NOT NULL DEFAULT 0,
    enrolid BIGINT NOT NULL,
    userid BIGINT NOT NULL,
    timestart BIGINT NOT NULL DEFAULT 0,
    timeend BIGINT NOT NULL DEFAULT 2147483647,
    modifierid BIGINT NOT NULL DEFAULT 0,
    timecreated BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}user_enrolments_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}userenro_enr_ix ON ${prefix}user_enrolments (enrolid);
CREATE INDEX ${prefix}userenro_mod_ix ON ${prefix}user_enrolments (modifierid);
CREATE INDEX ${prefix}userenro_use_ix ON ${prefix}user_enrolments (userid);
CREATE UNIQUE INDEX ${prefix}userenro_enruse_uix ON ${prefix}user_enrolments (enrolid, userid);

CREATE TABLE ${prefix}role (
    id BIGSERIAL,
    name VARCHAR(255) NOT NULL DEFAULT '',
    shortname VARCHAR(100) NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    sortorder BIGINT NOT NULL DEFAULT 0,
    archetype VARCHAR(30) NOT NULL DEFAULT '',
    CONSTRAINT ${prefix}role_id_pk PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ${prefix}role_sho_uix ON ${prefix}role (shortname);
CREATE UNIQUE INDEX ${prefix}role_sor_uix ON ${prefix}role (sortorder);

CREATE TABLE ${prefix}role_assignments (
    id BIGSERIAL,
    roleid BIGINT NOT NULL DEFAULT 0,
    contextid BIGINT NOT NULL DEFAULT 0,
    userid BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    modifierid BIGINT NOT NULL DEFAULT 0,
    component VARCHAR(100) NOT NULL DEFAULT '',
    itemid BIGINT NOT NULL DEFAULT 0,
    sortorder BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}role_assignments_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}roleassi_comiteuse_ix ON ${prefix}role_assignments (component, itemid, userid);
CREATE INDEX ${prefix}roleassi_con_ix ON ${prefix}role_assignments (contextid);
CREATE INDEX ${prefix}roleassi_rol_ix ON ${prefix}role_assignments (roleid);
CREATE INDEX ${prefix}roleassi_rolcon_ix ON ${prefix}role_assignments (roleid, contextid);
CREATE INDEX ${prefix}roleassi_sor_ix ON ${prefix}role_assignments (sortorder);
CREATE INDEX ${prefix}roleassi_use_ix ON ${prefix}role_assignments (userid);
CREATE INDEX ${prefix}roleassi_useconrol_ix ON ${prefix}role_assignments (userid, contextid, roleid);

CREATE TABLE ${prefix}groups (
    id BIGSERIAL,
    courseid BIGINT NOT NULL,
    idnumber VARCHAR(100) NOT NULL DEFAULT '',
    name VARCHAR(254) NOT NULL DEFAULT '',
    description TEXT,
    descriptionformat SMALLINT NOT NULL DEFAULT 0,
    enrolmentkey VARCHAR(50),
    picture BIGINT NOT NULL DEFAULT 0,
    visibility SMALLINT NOT NULL DEFAULT 0,
    participation SMALLINT NOT NULL DEFAULT 1,
    timecreated BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}groups_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}grou_cou_ix ON ${prefix}groups (courseid);
CREATE INDEX ${prefix}grou_idn_ix ON ${prefix}groups (idnumber);

CREATE TABLE ${prefix}groups_members (
    id BIGSERIAL,
    groupid BIGINT NOT NULL DEFAULT 0,
    userid BIGINT NOT NULL DEFAULT 0,
    timeadded BIGINT NOT NULL DEFAULT 0,
    component VARCHAR(100) NOT NULL DEFAULT '',
    itemid BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}groups_members_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}groumemb_gro_ix ON ${prefix}groups_members (groupid);
CREATE INDEX ${prefix}groumemb_use_ix ON ${prefix}groups_members (userid);
CREATE UNIQUE INDEX ${prefix}groumemb_usegro_uix ON ${prefix}groups_members (userid, groupid);

CREATE TABLE ${prefix}groupings (
    id BIGSERIAL,
    courseid BIGINT NOT NULL DEFAULT 0,
    name VARCHAR(255) NOT NULL DEFAULT '',
    idnumber VARCHAR(100) NOT NULL DEFAULT '',
    description TEXT,
    descriptionformat SMALLINT NOT NULL DEFAULT 0,
    configdata TEXT,
    timecreated BIGINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}groupings_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}grou_cou2_ix ON ${prefix}groupings (courseid);
CREATE INDEX ${prefix}grou_idn2_ix ON ${prefix}groupings (idnumber);

CREATE TABLE ${prefix}groupings_groups (
    id BIGSERIAL,
    groupingid BIGINT NOT NULL DEFAULT 0,
    groupid BIGINT NOT NULL DEFAULT 0,
    timeadded BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}groupings_groups_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}grougrou_gro_ix ON ${prefix}groupings_groups (groupid);
CREATE INDEX ${prefix}grougrou_gro2_ix ON ${prefix}groupings_groups (groupingid);

CREATE TABLE ${prefix}cohort (
    id BIGSERIAL,
    contextid BIGINT NOT NULL,
    name VARCHAR(254) NOT NULL DEFAULT '',
    idnumber VARCHAR(100),
    description TEXT,
    descriptionformat SMALLINT NOT NULL,
    visible SMALLINT NOT NULL DEFAULT 1,
    component VARCHAR(100) NOT NULL DEFAULT '',
    timecreated BIGINT NOT NULL,
    timemodified BIGINT NOT NULL,
    theme VARCHAR(50),
    CONSTRAINT ${prefix}cohort_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}coho_con_ix ON ${prefix}cohort (contextid);

CREATE TABLE ${prefix}cohort_members (
    id BIGSERIAL,
    cohortid BIGINT NOT NULL DEFAULT 0,
    userid BIGINT NOT NULL DEFAULT 0,
    timeadded BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}cohort_members_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}cohomemb_coh_ix ON ${prefix}cohort_members (cohortid);
CREATE INDEX ${prefix}cohomemb_use_ix ON ${prefix}cohort_members (userid);
CREATE UNIQUE INDEX ${prefix}cohomemb_cohuse_uix ON ${prefix}cohort_members (cohortid, userid);

CREATE TABLE ${prefix}files (
    id BIGSERIAL,
    contenthash VARCHAR(40) NOT NULL DEFAULT '',
    pathnamehash VARCHAR(40) NOT NULL DEFAULT '',
    contextid BIGINT NOT NULL,
    component VARCHAR(100) NOT NULL DEFAULT '',
    filearea VARCHAR(50) NOT NULL DEFAULT '',
    itemid BIGINT NOT NULL,
    filepath VARCHAR(255) NOT NULL DEFAULT '',
    filename VARCHAR(255) NOT NULL DEFAULT '',
    userid BIGINT,
    filesize BIGINT NOT NULL,
    mimetype VARCHAR(100),
    status BIGINT NOT NULL DEFAULT 0,
    source TEXT,
    author VARCHAR(255),
    license VARCHAR(255),
    timecreated BIGINT NOT NULL,
    timemodified BIGINT NOT NULL,
    sortorder BIGINT NOT NULL DEFAULT 0,
    referencefileid BIGINT,
    CONSTRAINT ${prefix}files_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}file_comfilconite_ix ON ${prefix}files (component, filearea, contextid, itemid);
CREATE INDEX ${prefix}file_con_ix ON ${prefix}files (contenthash);
CREATE INDEX ${prefix}file_con2_ix ON ${prefix}files (contextid);
CREATE INDEX ${prefix}file_fil_ix ON ${prefix}files (filename);
CREATE INDEX ${prefix}file_lic_ix ON ${prefix}files (license);
CREATE INDEX ${prefix}file_ref_ix ON ${prefix}files (referencefileid);
CREATE INDEX ${prefix}file_use_ix ON ${prefix}files (userid);
CREATE UNIQUE INDEX ${prefix}file_pat_uix ON ${prefix}files (pathnamehash);

CREATE TABLE ${prefix}user_info_field (
    id BIGSERIAL,
    shortname VARCHAR(255) NOT NULL DEFAULT 'shortname',
    name TEXT NOT NULL,
    datatype VARCHAR(255) NOT NULL DEFAULT '',
    description TEXT,
    descriptionformat SMALLINT NOT NULL DEFAULT 0,
    categoryid BIGINT NOT NULL DEFAULT 0,
    sortorder BIGINT NOT NULL DEFAULT 0,
    required SMALLINT NOT NULL DEFAULT 0,
    locked SMALLINT NOT NULL DEFAULT 0,
    visible SMALLINT NOT NULL DEFAULT 0,
    forceunique SMALLINT NOT NULL DEFAULT 0,
    signup SMALLINT NOT NULL DEFAULT 0,
    defaultdata TEXT,
    defaultdataformat SMALLINT NOT NULL DEFAULT 0,
    param1 TEXT,
    param2 TEXT,
    param3 TEXT,
    param4 TEXT,
    param5 TEXT,
    CONSTRAINT ${prefix}user_info_field_id_pk PRIMARY KEY (id)
);

CREATE TABLE ${prefix}user_info_data (
    id BIGSERIAL,
    userid BIGINT NOT NULL DEFAULT 0,
    fieldid BIGINT NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    dataformat SMALLINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}user_info_data_id_pk PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ${prefix}userinfodata_usefie_uix ON ${prefix}user_info_data (userid, fieldid);

CREATE TABLE ${prefix}user_info_category (
    id BIGSERIAL,
    name VARCHAR(255) NOT NULL DEFAULT '',
    sortorder BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}user_info_category_id_pk PRIMARY KEY (id)
);

CREATE TABLE ${prefix}course_format_options (
    id BIGSERIAL,
    courseid BIGINT NOT NULL,
    format VARCHAR(21) NOT NULL DEFAULT '',
    sectionid BIGINT NOT NULL DEFAULT 0,
    name VARCHAR(100) NOT NULL DEFAULT '',
    value TEXT,
    CONSTRAINT ${prefix}course_format_options_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}courformopti_cou_ix ON ${prefix}course_format_options (courseid);
CREATE UNIQUE INDEX ${prefix}courformopti_couforsecnam_uix ON ${prefix}course_format_options (courseid, format, sectionid, name);

CREATE TABLE ${prefix}course_sections (
    id BIGSERIAL,
    course BIGINT NOT NULL DEFAULT 0,
    section BIGINT NOT NULL DEFAULT 0,
    name VARCHAR(255),
    summary TEXT,
    summaryformat SMALLINT NOT NULL DEFAULT 0,
    sequence TEXT,
    visible SMALLINT NOT NULL DEFAULT 1,
    availability TEXT,
    component VARCHAR(100),
    itemid BIGINT,
    timemodified BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}course_sections_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}coursect_comite_ix ON ${prefix}course_sections (component, itemid);
CREATE UNIQUE INDEX ${prefix}coursect_cousec_uix ON ${prefix}course_sections (course, section);

CREATE TABLE ${prefix}role_context_levels (
    id BIGSERIAL,
    roleid BIGINT NOT NULL,
    contextlevel BIGINT NOT NULL,
    CONSTRAINT ${prefix}role_context_levels_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}rolecontleve_rol_ix ON ${prefix}role_context_levels (roleid);
CREATE UNIQUE INDEX ${prefix}rolecontleve_conrol_uix ON ${prefix}role_context_levels (contextlevel, roleid);

CREATE TABLE ${prefix}user_preferences (
    id BIGSERIAL,
    userid BIGINT NOT NULL DEFAULT 0,
    name VARCHAR(255) NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    CONSTRAINT ${prefix}user_preferences_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}userpref_nam_ix ON ${prefix}user_preferences (name);
CREATE UNIQUE INDEX ${prefix}userpref_usenam_uix ON ${prefix}user_preferences (userid, name);

CREATE TABLE ${prefix}config (
    id BIGSERIAL,
    name VARCHAR(255) NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    CONSTRAINT ${prefix}config_id_pk PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ${prefix}conf_nam_uix ON ${prefix}config (name);

CREATE TABLE ${prefix}config_plugins (
    id BIGSERIAL,
    plugin VARCHAR(100) NOT NULL DEFAULT 'core',
    name VARCHAR(100) NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    CONSTRAINT ${prefix}config_plugins_id_pk PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ${prefix}confplug_plunam_uix ON ${prefix}config_plugins (plugin, name);

CREATE TABLE ${prefix}cache_flags (
    id BIGSERIAL,
    flagtype VARCHAR(255) NOT NULL DEFAULT '',
    name VARCHAR(255) NOT NULL DEFAULT '',
    timemodified BIGINT NOT NULL DEFAULT 0,
    value TEXT NOT NULL,
    expiry BIGINT NOT NULL,
    CONSTRAINT ${prefix}cache_flags_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}cachflag_nam_ix ON ${prefix}cache_flags (name);
CREATE INDEX ${prefix}cachflag_fla_ix ON ${prefix}cache_flags (flagtype);

CREATE TABLE ${prefix}modules (
    id BIGSERIAL,
    name VARCHAR(20) NOT NULL DEFAULT '',
    cron BIGINT NOT NULL DEFAULT 0,
    lastcron BIGINT NOT NULL DEFAULT 0,
    search VARCHAR(255) NOT NULL DEFAULT '',
    visible SMALLINT NOT NULL DEFAULT 1,
    CONSTRAINT ${prefix}modules_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}modu_nam_ix ON ${prefix}modules (name);

CREATE TABLE ${prefix}course_modules (
    id BIGSERIAL,
    course BIGINT NOT NULL DEFAULT 0,
    module BIGINT NOT NULL DEFAULT 0,
    instance BIGINT NOT NULL DEFAULT 0,
    section BIGINT NOT NULL DEFAULT 0,
    idnumber VARCHAR(100),
    added BIGINT NOT NULL DEFAULT 0,
    score SMALLINT NOT NULL DEFAULT 0,
    indent INTEGER NOT NULL DEFAULT 0,
    visible SMALLINT NOT NULL DEFAULT 1,
    visibleoncoursepage SMALLINT NOT NULL DEFAULT 1,
    visibleold SMALLINT NOT NULL DEFAULT 1,
    groupmode SMALLINT NOT NULL DEFAULT 0,
    groupingid BIGINT NOT NULL DEFAULT 0,
    completion SMALLINT NOT NULL DEFAULT 0,
    completiongradeitemnumber BIGINT,
    completionview SMALLINT NOT NULL DEFAULT 0,
    completionexpected BIGINT NOT NULL DEFAULT 0,
    completionpassgrade SMALLINT NOT NULL DEFAULT 0,
    showdescription SMALLINT NOT NULL DEFAULT 0,
    availability TEXT,
    deletioninprogress SMALLINT NOT NULL DEFAULT 0,
    downloadcontent SMALLINT DEFAULT 1,
    lang VARCHAR(30),
    CONSTRAINT ${prefix}course_modules_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}courmodu_cou_ix ON ${prefix}course_modules (course);
CREATE INDEX ${prefix}courmodu_ins_ix ON ${prefix}course_modules (instance);
CREATE INDEX ${prefix}courmodu_vis_ix ON ${prefix}course_modules (visible);
CREATE INDEX ${prefix}courmodu_gro_ix ON ${prefix}course_modules (groupingid);
CREATE INDEX ${prefix}courmodu_idncou_ix ON ${prefix}course_modules (idnumber, course);
CREATE INDEX ${prefix}courmodu_mod_ix ON ${prefix}course_modules (module);

CREATE TABLE ${prefix}forum (
    id BIGSERIAL,
    course BIGINT NOT NULL DEFAULT 0,
    type VARCHAR(20) NOT NULL DEFAULT 'general',
    name VARCHAR(255) NOT NULL DEFAULT '',
    intro TEXT NOT NULL,
    introformat SMALLINT NOT NULL DEFAULT 0,
    duedate BIGINT NOT NULL DEFAULT 0,
    cutoffdate BIGINT NOT NULL DEFAULT 0,
    assessed BIGINT NOT NULL DEFAULT 0,
    assesstimestart BIGINT NOT NULL DEFAULT 0,
    assesstimefinish BIGINT NOT NULL DEFAULT 0,
    scale BIGINT NOT NULL DEFAULT 0,
    grade_forum BIGINT NOT NULL DEFAULT 0,
    grade_forum_notify SMALLINT NOT NULL DEFAULT 0,
    maxbytes BIGINT NOT NULL DEFAULT 0,
    maxattachments BIGINT NOT NULL DEFAULT 1,
    forcesubscribe SMALLINT NOT NULL DEFAULT 0,
    trackingtype SMALLINT NOT NULL DEFAULT 1,
    rsstype SMALLINT NOT NULL DEFAULT 0,
    rssarticles SMALLINT NOT NULL DEFAULT 0,
    timemodified BIGINT NOT NULL DEFAULT 0,
    warnafter BIGINT NOT NULL DEFAULT 0,
    blockafter BIGINT NOT NULL DEFAULT 0,
    blockperiod BIGINT NOT NULL DEFAULT 0,
    completiondiscussions INTEGER NOT NULL DEFAULT 0,
    completionreplies INTEGER NOT NULL DEFAULT 0,
    completionposts INTEGER NOT NULL DEFAULT 0,
    displaywordcount SMALLINT NOT NULL DEFAULT 0,
    lockdiscussionafter BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}forum_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}foru_cou_ix ON ${prefix}forum (course);

CREATE TABLE ${prefix}user_lastaccess (
    id BIGSERIAL,
    userid BIGINT NOT NULL DEFAULT 0,
    courseid BIGINT NOT NULL DEFAULT 0,
    timeaccess BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}user_lastaccess_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}userlast_cou_ix ON ${prefix}user_lastaccess (courseid);
CREATE UNIQUE INDEX ${prefix}userlast_usecou_uix ON ${prefix}user_lastaccess (userid, courseid);
CREATE INDEX ${prefix}userlast_use_ix ON ${prefix}user_lastaccess (userid);

CREATE TABLE ${prefix}block_instances (
    id BIGSERIAL,
    blockname VARCHAR(40) NOT NULL DEFAULT '',
    parentcontextid BIGINT NOT NULL,
    showinsubcontexts SMALLINT NOT NULL,
    requiredbytheme SMALLINT NOT NULL DEFAULT 0,
    pagetypepattern VARCHAR(64) NOT NULL DEFAULT '',
    subpagepattern VARCHAR(16),
    defaultregion VARCHAR(16) NOT NULL DEFAULT '',
    defaultweight BIGINT NOT NULL,
    configdata TEXT,
    timecreated BIGINT NOT NULL,
    timemodified BIGINT NOT NULL,
    CONSTRAINT ${prefix}block_instances_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}blocinst_blo_ix ON ${prefix}block_instances (blockname);
CREATE INDEX ${prefix}blocinst_par_ix ON ${prefix}block_instances (parentcontextid);
CREATE INDEX ${prefix}blocinst_tim_ix ON ${prefix}block_instances (timemodified);
CREATE INDEX ${prefix}blocinst_parshopagsub_ix ON ${prefix}block_instances (parentcontextid, showinsubcontexts, pagetypepattern, subpagepattern);

CREATE TABLE ${prefix}external_tokens (
    id BIGSERIAL,
    token VARCHAR(128) NOT NULL DEFAULT '',
    privatetoken VARCHAR(64),
    tokentype SMALLINT NOT NULL DEFAULT 0,
    userid BIGINT NOT NULL DEFAULT 0,
    externalserviceid BIGINT NOT NULL,
    sid VARCHAR(128),
    contextid BIGINT NOT NULL,
    creatorid BIGINT NOT NULL DEFAULT 1,
    iprestriction VARCHAR(255),
    validuntil BIGINT,
    timecreated BIGINT NOT NULL,
    lastaccess BIGINT,
    name VARCHAR(255),
    CONSTRAINT ${prefix}external_tokens_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}extetoke_use_ix ON ${prefix}external_tokens (userid);
CREATE INDEX ${prefix}extetoke_ext_ix ON ${prefix}external_tokens (externalserviceid);
CREATE INDEX ${prefix}extetoke_con_ix ON ${prefix}external_tokens (contextid);
CREATE INDEX ${prefix}extetoke_cre_ix ON ${prefix}external_tokens (creatorid);

CREATE TABLE ${prefix}external_services_users (
    id BIGSERIAL,
    externalserviceid BIGINT NOT NULL,
    userid BIGINT NOT NULL,
    iprestriction VARCHAR(255),
    validuntil BIGINT,
    timecreated BIGINT,
    CONSTRAINT ${prefix}external_services_users_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}exteservuser_ext_ix ON ${prefix}external_services_users (externalserviceid);
CREATE INDEX ${prefix}exteservuser_use_ix ON ${prefix}external_services_users (userid);

CREATE TABLE ${prefix}user_password_history (
    id BIGSERIAL,
    userid BIGINT NOT NULL,
    hash VARCHAR(255) NOT NULL,
    timecreated BIGINT NOT NULL,
    CONSTRAINT ${prefix}user_password_history_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}userpasshist_use_ix ON ${prefix}user_password_history (userid);

CREATE TABLE ${prefix}block_positions (
    id BIGSERIAL,
    blockinstanceid BIGINT NOT NULL,
    contextid BIGINT NOT NULL,
    pagetype VARCHAR(64) NOT NULL,
    subpage VARCHAR(16) NOT NULL,
    visible SMALLINT NOT NULL,
    region VARCHAR(16) NOT NULL,
    weight BIGINT NOT NULL,
    CONSTRAINT ${prefix}block_positions_id_pk PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ${prefix}blocposi_bloconpagsub_uix ON ${prefix}block_positions (blockinstanceid, contextid, pagetype, subpage);
CREATE INDEX ${prefix}blocposi_blo_ix ON ${prefix}block_positions (blockinstanceid);
CREATE INDEX ${prefix}blocposi_con_ix ON ${prefix}block_positions (contextid);

CREATE TABLE ${prefix}my_pages (
    id BIGSERIAL,
    userid BIGINT DEFAULT 0,
    name VARCHAR(200) NOT NULL DEFAULT '',
    private SMALLINT NOT NULL DEFAULT 1,
    sortorder INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT ${prefix}my_pages_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}mypage_usepri_ix ON ${prefix}my_pages (userid, private);

CREATE TABLE ${prefix}sessions (
    id BIGSERIAL,
    state BIGINT NOT NULL DEFAULT 0,
    sid VARCHAR(128) NOT NULL DEFAULT '',
    userid BIGINT NOT NULL,
    sessdata TEXT,
    timecreated BIGINT NOT NULL,
    timemodified BIGINT NOT NULL,
    firstip VARCHAR(45),
    lastip VARCHAR(45),
    CONSTRAINT ${prefix}sessions_id_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}sess_sta_ix ON ${prefix}sessions (state);
CREATE UNIQUE INDEX ${prefix}sess_sid_uix ON ${prefix}sessions (sid);
CREATE INDEX ${prefix}sess_tim_ix ON ${prefix}sessions (timecreated);
CREATE INDEX ${prefix}sess_tim2_ix ON ${prefix}sessions (timemodified);
CREATE INDEX ${prefix}sess_use_ix ON ${prefix}sessions (userid);
