package io.dcmon.storage.postgres;

import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * jOOQ names of the tables in {@code db/postgresql}. Unqualified on purpose: every pooled connection's
 * search path is the configured schema, so one store can live in any schema.
 */
final class Schema {

    private Schema() {
    }

    static final Table<?> CLIENTS = DSL.table(DSL.name("clients"));
    static final Field<Long> C_ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
    static final Field<String> C_HOSTNAME = DSL.field(DSL.name("hostname"), SQLDataType.CLOB);
    static final Field<String> C_MACHINE_ID = DSL.field(DSL.name("machine_id"), SQLDataType.CLOB);
    static final Field<String> C_PUBLIC_KEY_PEM = DSL.field(DSL.name("public_key_pem"), SQLDataType.CLOB);
    static final Field<String> C_KEY_FINGERPRINT = DSL.field(DSL.name("key_fingerprint"), SQLDataType.CLOB);
    static final Field<String> C_HARDWARE = DSL.field(DSL.name("hardware"), SQLDataType.CLOB);
    static final Field<String> C_TOKEN_HASH = DSL.field(DSL.name("token_hash"), SQLDataType.CLOB);
    static final Field<Long> C_REGISTERED_AT = DSL.field(DSL.name("registered_at"), SQLDataType.BIGINT);
    static final Field<Long> C_LAST_SEEN = DSL.field(DSL.name("last_seen"), SQLDataType.BIGINT);
    static final Field<Long> C_REVOKED_AT = DSL.field(DSL.name("revoked_at"), SQLDataType.BIGINT);
    static final Field<?>[] CLIENT_FIELDS = {C_ID, C_HOSTNAME, C_MACHINE_ID, C_PUBLIC_KEY_PEM, C_KEY_FINGERPRINT, C_HARDWARE,
            C_TOKEN_HASH, C_REGISTERED_AT, C_LAST_SEEN, C_REVOKED_AT};

    static final Table<?> SERIES = DSL.table(DSL.name("series"));
    static final Field<Long> S_ID = DSL.field(DSL.name("series", "id"), SQLDataType.BIGINT);
    static final Field<Long> S_CLIENT_ID = DSL.field(DSL.name("series", "client_id"), SQLDataType.BIGINT);
    static final Field<String> S_METRIC = DSL.field(DSL.name("series", "metric"), SQLDataType.CLOB);
    static final Field<String> S_LABELS = DSL.field(DSL.name("series", "labels"), SQLDataType.CLOB);
    /** labels_json as text (jsonb rendered by PostgreSQL), for reading back. */
    static final Field<String> S_LABELS_TEXT = DSL.field("{0}::text", SQLDataType.CLOB, DSL.name("series", "labels_json"));

    static final Table<?> COMMANDS = DSL.table(DSL.name("commands"));
    static final Field<Long> K_ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
    static final Field<Long> K_CLIENT_ID = DSL.field(DSL.name("client_id"), SQLDataType.BIGINT);
    static final Field<String> K_TYPE = DSL.field(DSL.name("type"), SQLDataType.CLOB);
    static final Field<String> K_PARAMS = DSL.field(DSL.name("params"), SQLDataType.CLOB);
    static final Field<String> K_STATUS = DSL.field(DSL.name("status"), SQLDataType.CLOB);
    static final Field<String> K_CREATED_BY = DSL.field(DSL.name("created_by"), SQLDataType.CLOB);
    static final Field<Long> K_CREATED_AT = DSL.field(DSL.name("created_at"), SQLDataType.BIGINT);
    static final Field<Long> K_EXPIRES_AT = DSL.field(DSL.name("expires_at"), SQLDataType.BIGINT);
    static final Field<Long> K_DELIVERED_AT = DSL.field(DSL.name("delivered_at"), SQLDataType.BIGINT);
    static final Field<Long> K_FINISHED_AT = DSL.field(DSL.name("finished_at"), SQLDataType.BIGINT);
    static final Field<Integer> K_EXIT_STATUS = DSL.field(DSL.name("exit_status"), SQLDataType.INTEGER);
    static final Field<String> K_OUTPUT = DSL.field(DSL.name("output"), SQLDataType.CLOB);
    static final Field<String> K_ERROR = DSL.field(DSL.name("error"), SQLDataType.CLOB);
    static final Field<?>[] COMMAND_FIELDS = {K_ID, K_CLIENT_ID, K_TYPE, K_PARAMS, K_STATUS, K_CREATED_BY, K_CREATED_AT,
            K_EXPIRES_AT, K_DELIVERED_AT, K_FINISHED_AT, K_EXIT_STATUS, K_OUTPUT, K_ERROR};
}
