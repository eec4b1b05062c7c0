package org.moodlesync.judged;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One school's data written twice: in the formats of Moodle's own upload tools (uploadcourse.php,
 * uploaduser.php) and in tool_sync's formats read by moodle-sync. Deterministic (fixed seed): 300 users with
 * accented names, 9 categories on two levels, 36 courses in topics and weeks formats (visible and hidden),
 * about a thousand enrolments with and without dates, groups and two cohorts.
 *
 * <p>Courses and users come in two files each: the first gives every column, the second only the required
 * ones, so that the site's defaults decide the rest.
 */
final class DifferentialDataset {
    static final int USERS = 300;
    static final int FULL_COURSES = 30;
    static final int BARE_COURSES = 6;
    static final String PASSWORD = "Passw0rd!x";
    private static final String[] FACULTIES = {"Faculté des Sciences", "École d'Ingénieurs", "Fakultät Künste"};
    private static final String[] DEPARTMENTS = {"Département Alpha", "Département Bêta", "Département Γ"};
    private static final String[] FIRST = {"Élodie", "Zoë", "François", "Jürgen", "Ñuño", "Søren", "Łukasz", "Çağla", "Anaïs", "Björn", "Amélie", "José"};
    private static final String[] LAST = {"Dœuf", "Müller", "García", "Ødegaard", "Wróbel", "Łęcki", "Nuñez", "Brontë", "Ibáñez", "Straße", "O'Brien", "Renée"};

    final List<String> categoryPaths = new ArrayList<>();
    /** "username|shortname" of the enrolments that have no start date in the files. */
    final Set<String> undatedEnrolments = new HashSet<>();
    final StringBuilder moodleCoursesFull = new StringBuilder("shortname,fullname,idnumber,category_path,format,visible,startdate,enddate,summary\n");
    final StringBuilder syncCoursesFull = new StringBuilder("shortname;fullname;idnumber;category;format;visible;startdate;enddate;summary\n");
    final StringBuilder moodleCoursesBare = new StringBuilder("shortname,fullname,idnumber,category_path\n");
    final StringBuilder syncCoursesBare = new StringBuilder("shortname;fullname;idnumber;category\n");
    final StringBuilder moodleUsersFull;
    final StringBuilder syncUsersFull;
    final StringBuilder moodleUsersBare;
    final StringBuilder syncUsersBare;
    final List<String> usernames = new ArrayList<>();
    /** Shortnames of the courses of the second file, which gives no start date. */
    final Set<String> bareCourses = new HashSet<>();

    DifferentialDataset() {
        Random random = new Random(20261207);
        for (String f : FACULTIES) {
            for (String d : DEPARTMENTS) {
                categoryPaths.add(f + " / " + d);
            }
        }
        List<String> shortnames = new ArrayList<>();
        for (int i = 0; i < FULL_COURSES + BARE_COURSES; i++) {
            String shortname = "C" + (i < 10 ? "0" : "") + i;
            shortnames.add(shortname);
            String fullname = "Cours n°" + i + " – " + FIRST[i % FIRST.length] + " & " + LAST[(i * 5) % LAST.length];
            String idnumber = "CID-" + i;
            String path = categoryPaths.get(i % categoryPaths.size());
            if (i >= FULL_COURSES) {
                bareCourses.add(shortname);
                moodleCoursesBare.append(csv(",", shortname, fullname, idnumber, path));
                syncCoursesBare.append(csv(";", shortname, fullname, idnumber, path.replace(" / ", "/")));
                continue;
            }
            String format = i % 2 == 0 ? "topics" : "weeks";
            String visible = i % 4 == 3 ? "0" : "1";
            String start = i % 5 == 4 ? "2027-01-15" : "2026-09-01";
            String end = i % 3 == 0 ? "2027-06-30" : i % 3 == 1 ? "2027-07-14" : "2027-08-31";
            String summary = i % 3 == 2 ? "" : "<p>Résumé du cours " + i + " : « été » ✓</p>";
            moodleCoursesFull.append(csv(",", shortname, fullname, idnumber, path, format, visible, start, end, summary));
            syncCoursesFull.append(csv(";", shortname, fullname, idnumber, path.replace(" / ", "/"), format, visible, start, end, summary));
        }
        String courseColumnsMoodle = "";
        String courseColumnsSync = "";
        for (int k = 1; k <= 4; k++) {
            courseColumnsMoodle += ",course" + k + ",role" + k + ",enroltimestart" + k + ",enrolperiod" + k + ",group" + k;
            courseColumnsSync += ";course" + k + ";role" + k + ";enrol" + k + ";start" + k + ";end" + k + ";group" + k;
        }
        moodleUsersFull = new StringBuilder("username,password,firstname,lastname,email,idnumber,city,country,institution,cohort1" + courseColumnsMoodle + "\n");
        syncUsersFull = new StringBuilder("username;password;firstname;lastname;email;idnumber;city;country;institution;cohort;cohortid" + courseColumnsSync + "\n");
        moodleUsersBare = new StringBuilder("username,password,firstname,lastname,email,idnumber,cohort1" + courseColumnsMoodle + "\n");
        syncUsersBare = new StringBuilder("username;password;firstname;lastname;email;idnumber;cohort;cohortid" + courseColumnsSync + "\n");
        for (int i = 0; i < USERS; i++) {
            String username = "user" + String.format("%03d", i);
            usernames.add(username);
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String email = username + "@école.example.org".replace("é", "e");
            String idnumber = "ID-" + i;
            String cohort = i % 5 == 0 ? "cohort-a" : i % 5 == 1 ? "cohort-b" : "";
            List<String> moodleCourses = new ArrayList<>();
            List<String> syncCourses = new ArrayList<>();
            int count = i % 2 == 0 ? 3 : 4;
            for (int k = 0; k < 4; k++) {
                if (k >= count) {
                    moodleCourses.addAll(List.of("", "", "", "", ""));
                    syncCourses.addAll(List.of("", "", "", "", "", ""));
                    continue;
                }
                String course = shortnames.get((i * 7 + k * 11) % shortnames.size());
                String role = k == 0 && i % 10 == 0 ? "editingteacher" : "student";
                boolean dated = (i + k) % 3 == 0;
                String group = k == 1 ? "Groupe " + "ABC".charAt(i % 3) + "é" : "";
                if (!dated) {
                    undatedEnrolments.add(username + "|" + course);
                }
                moodleCourses.addAll(List.of(course, role, dated ? "2026-09-01" : "", dated ? "30" : "", group));
                syncCourses.addAll(List.of(course, role, "manual", dated ? "2026-09-01" : "", dated ? "2026-10-01" : "", group));
            }
            if (i < 200) {
                String city = i % 4 == 0 ? "Saint-Étienne" : "Lyon";
                List<String> m = new ArrayList<>(List.of(username, PASSWORD, first, last, email, idnumber, city, "FR", "Lycée Hugo", cohort));
                m.addAll(moodleCourses);
                moodleUsersFull.append(csv(",", m.toArray(String[]::new)));
                List<String> s = new ArrayList<>(List.of(username, PASSWORD, first, last, email, idnumber, city, "FR", "Lycée Hugo", cohort, cohort));
                s.addAll(syncCourses);
                syncUsersFull.append(csv(";", s.toArray(String[]::new)));
            } else {
                List<String> m = new ArrayList<>(List.of(username, PASSWORD, first, last, email, idnumber, cohort));
                m.addAll(moodleCourses);
                moodleUsersBare.append(csv(",", m.toArray(String[]::new)));
                List<String> s = new ArrayList<>(List.of(username, PASSWORD, first, last, email, idnumber, cohort, cohort));
                s.addAll(syncCourses);
                syncUsersBare.append(csv(";", s.toArray(String[]::new)));
            }
        }
    }

    int enrolments() {
        return (USERS / 2) * 3 + (USERS / 2) * 4;
    }

    private static String csv(String separator, String... values) {
        StringJoiner j = new StringJoiner(separator, "", "\n");
        for (String v : values) {
            j.add(v.contains(separator) || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
        }
        return j.toString();
    }
}
