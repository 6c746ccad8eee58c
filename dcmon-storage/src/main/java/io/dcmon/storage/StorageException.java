package io.dcmon.storage;

/** A database operation failed for a reason the caller did not cause (I/O, corruption, a closed store). */
public class StorageException extends RuntimeException {

    /** An error with its cause. */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error without a cause. */
    public StorageException(String message) {
        super(message);
    }
}
