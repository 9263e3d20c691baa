package io.dialerbridge.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/** All VCC Live state: the projects (each guarded by its own monitor) and the account's users. */
final class VccState {

    record User(int userid, String name, String username) {
    }

    final Map<Integer, VccProject> projects = new LinkedHashMap<>();
    final Map<Integer, User> users = new LinkedHashMap<>();
}
