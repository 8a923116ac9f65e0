package io.msgbridge.offsets;

import io.msgbridge.spi.Secret;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a JDBC failure into an {@link OffsetStoreException} that names the store by its URL (any
 * password in it masked) and tells an outage (retriable: connection lost, server shutting down, pool
 * timeout, serialization failure) from a refusal (bad credentials, missing database, SQL errors). The
 * password never appears in a message.
 */
final class PostgresFailures {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern URL_USER_INFO = Pattern.compile("//[^/@]*@");
    /** SQLSTATE classes that go away on their own: connection, rollback, resources, operator intervention. */
    private static final Set<String> RETRIABLE_CLASSES = Set.of("08", "40", "53", "57");
    /** SQLSTATE classes that a retry will not cure, with what the operator does about them. */
    private static final Map<String, String> REFUSED_CLASSES = Map.of(
            "28", "create the role or fix offsets.postgres user/password",
            "3D", "create the database or fix offsets.postgres.url");

    private final String store;
    private final Secret password;

    PostgresFailures(String url, Secret password) {
        this.store = "PostgreSQL " + redact(url);
        this.password = password;
    }

    /** The store's name for messages: {@code PostgreSQL <url>}, any password in the URL masked. */
    String store() {
        return store;
    }

    static String redact(String url) {
        String masked = URL_PASSWORD.matcher(url).replaceAll("$1****");
        return URL_USER_INFO.matcher(masked).replaceAll("//****@");
    }

    OffsetStoreException translate(String action, SQLException e) {
        SQLException root = root(e);
        String stateClass = stateClass(root);
        String detail = mask(root.getMessage());
        String fix = REFUSED_CLASSES.get(stateClass);
        if (fix != null) {
            return new OffsetStoreException(store + " refused the connection: " + detail + "; " + fix, false, e);
        }
        if (isRetriable(e) || RETRIABLE_CLASSES.contains(stateClass)) {
            return new OffsetStoreException(store + " unreachable: " + detail, true, e);
        }
        String state = root.getSQLState() == null ? "" : " (SQLSTATE " + root.getSQLState() + ")";
        return new OffsetStoreException(store + ": " + action + " failed: " + detail + state, false, e);
    }

    private String mask(String message) {
        String text = message == null ? "no detail" : message;
        return password == null ? text : password.hideIn(text);
    }

    private static boolean isRetriable(SQLException e) {
        return e instanceof SQLTransientException || e instanceof SQLRecoverableException;
    }

    /** The innermost SQLException: the pool's timeout wraps the driver's reason for not connecting. */
    private static SQLException root(SQLException e) {
        SQLException root = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                root = sql;
            }
        }
        return root;
    }

    private static String stateClass(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.length() < 2 ? "" : state.substring(0, 2);
    }
}
