package io.dcmon.core.model;

/** Where a command is in its life: queued → delivered → succeeded | failed | expired. */
public enum CommandStatus {
    QUEUED, DELIVERED, SUCCEEDED, FAILED, EXPIRED;

    /** True once nothing more will happen to the command. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == EXPIRED;
    }
}
