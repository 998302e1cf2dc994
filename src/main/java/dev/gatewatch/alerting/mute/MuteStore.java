package dev.gatewatch.alerting.mute;

import javax.sql.DataSource;

import dev.gatewatch.api.Sql;

/** SQL shared by maintenance windows and silences. */
final class MuteStore {

    private MuteStore() {
    }

    /** Alerts held by an owner's mutes are looked at again now (a mute was shortened or removed). */
    static void recheckHeld(DataSource dataSource, long ownerId) {
        Sql.update(dataSource, "update notification set next_attempt_at = now() where owner_id = ? and status = 'muted'", ownerId);
    }
}
