package io.dcmon.storage;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Series key to (series id, value kinds), in three primitive arrays, for the writer thread.
 *
 * <p>Design. A fleet of 1000 agents has ~254 000 series; a general-purpose cache (Caffeine) spends several hundred
 * bytes on each (node, boxed key and value, the key's strings), so it was bounded at 100 000 entries and a larger fleet
 * missed on every batch, paying a read of all the client's series per push. Here a key is reduced to a 128-bit
 * fingerprint (two independent 64-bit hashes over client id, metric and canonical labels, seeded at random per
 * instance) and a slot is three {@code long}s: 24 bytes, 32–64 bytes per series at the 0.375–0.75 load factor kept by
 * doubling. The tables start small and grow with the series seen, up to the bound.
 *
 * <ul>
 *   <li><b>Collisions.</b> Slots are open-addressed with linear probing on the first hash; a hit needs both hashes
 *       equal. Two different keys share a fingerprint with probability ~2<sup>-128</sup> per pair (about 10<sup>-27</sup>
 *       for a million series), far below the disk's own error rate. The seeds are random, so a colliding pair cannot be
 *       computed offline; this is not a cryptographic guarantee.</li>
 *   <li><b>Bound.</b> At {@code maxSize} entries an insert first evicts one entry by the clock (second-chance)
 *       rule: an insert or a hit sets the entry's referenced bit, the clock hand clears bits as it passes and
 *       evicts the first entry without one. Removal shifts the following entries of the probe run back, so no tombstones are left.
 *       A miss costs the caller one indexed read, so eviction only trades memory for reads.</li>
 *   <li><b>Value.</b> The id (61 bits; SQLite ids are positive) and the series' value kinds (2 bits, see
 *       {@link SeriesIds}) share one {@code long} with the referenced bit; 0 marks an empty slot.</li>
 *   <li><b>Threading.</b> None: every method must be called on the storage's writer thread, which is the only one
 *       that resolves, creates or forgets series. What enters is only what a committed transaction wrote (the
 *       caller's rule, see {@link SeriesIds}).</li>
 * </ul>
 */
final class SeriesIdCache {

    /** What {@link #get} answers for a key that is not held. */
    static final long ABSENT = -1;

    private static final long REFERENCED = 1L << 63;
    private static final int KINDS_SHIFT = 61;
    private static final long KINDS_MASK = 3L << KINDS_SHIFT;
    private static final long ID_MASK = (1L << KINDS_SHIFT) - 1;
    private static final int MIN_CAPACITY = 64;
    private static final int MAX_CAPACITY = 1 << 30;

    private final int maxSize;
    private final int maxCapacity;
    private final long seedA;
    private final long seedB;
    private long[] hashA;
    private long[] hashB;
    private long[] values;
    private int mask;
    private int size;
    private int hand;

    /** A cache of at most {@code maxSize} series (at most 2<sup>29</sup> + 2<sup>28</sup>: larger bounds are capped). */
    SeriesIdCache(long maxSize) {
        this(maxSize, ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong());
    }

    SeriesIdCache(long maxSize, long seedA, long seedB) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize was " + maxSize + " but it must be at least 1");
        }
        int capacity = MIN_CAPACITY;
        while (capacity < MAX_CAPACITY && capacity / 4 * 3 < maxSize) {
            capacity <<= 1;
        }
        this.maxCapacity = capacity;
        this.maxSize = (int) Math.min(maxSize, capacity / 4 * 3);
        this.seedA = seedA;
        this.seedB = seedB;
        allocate(MIN_CAPACITY);
    }

    /** The id and kinds of the key as {@link #id}/{@link #kinds} read them, or {@link #ABSENT}. */
    long get(long clientId, String metric, String labels) {
        return get(hashA(clientId, metric, labels), hashB(clientId, metric, labels));
    }

    /** Holds {@code id} with {@code kinds} for the key, replacing what the key had (evicting another key when full). */
    void put(long clientId, String metric, String labels, long id, int kinds) {
        put(hashA(clientId, metric, labels), hashB(clientId, metric, labels), id, kinds);
    }

    /** Adds {@code kinds} to the key's entry when it holds {@code id}; does nothing when the key is absent. */
    void addKinds(long clientId, String metric, String labels, long id, int kinds) {
        int i = find(hashA(clientId, metric, labels), hashB(clientId, metric, labels));
        if (i >= 0 && (values[i] & ID_MASK) == id) {
            values[i] |= ((long) kinds << KINDS_SHIFT);
        }
    }

    /** The series id of a {@link #get} answer. */
    static long id(long entry) {
        return entry & ID_MASK;
    }

    /** The kinds of a {@link #get} answer. */
    static int kinds(long entry) {
        return (int) ((entry & KINDS_MASK) >>> KINDS_SHIFT);
    }

    /** Entries held. */
    int size() {
        return size;
    }

    /** The most entries held at once. */
    int maxSize() {
        return maxSize;
    }

    /** Slots allocated (each 24 bytes). */
    int capacity() {
        return mask + 1;
    }

    /** Forgets everything and gives the memory back. */
    void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
        hand = 0;
    }

    // ---- by fingerprint (package-private so tests can force collisions)

    long get(long a, long b) {
        int i = find(a, b);
        if (i < 0) {
            return ABSENT;
        }
        values[i] |= REFERENCED;
        return values[i] & ~REFERENCED;
    }

    void put(long a, long b, long id, int kinds) {
        if (id <= 0 || id > ID_MASK || kinds < 0 || kinds > 3) {
            throw new IllegalArgumentException("series id " + id + " with kinds " + kinds + " cannot be cached");
        }
        long value = id | ((long) kinds << KINDS_SHIFT);
        int i = find(a, b);
        if (i >= 0) {
            values[i] = value | (values[i] & REFERENCED);
            return;
        }
        if (size >= maxSize) {
            evictOne();
        } else if (size + 1 > (mask + 1) / 4 * 3 && mask + 1 < maxCapacity) {
            resize((mask + 1) << 1);
        }
        insert(a, b, value | REFERENCED); // a new entry was just used: it survives the hand's next pass
        size++;
    }

    private int find(long a, long b) {
        for (int i = home(a); values[i] != 0; i = (i + 1) & mask) {
            if (hashA[i] == a && hashB[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void insert(long a, long b, long value) {
        int i = home(a);
        while (values[i] != 0) {
            i = (i + 1) & mask;
        }
        hashA[i] = a;
        hashB[i] = b;
        values[i] = value;
    }

    private int home(long a) {
        return (int) (a ^ (a >>> 32)) & mask;
    }

    /** Second chance: clear referenced bits until an entry without one is under the hand, then remove it. */
    private void evictOne() {
        while (true) {
            hand = (hand + 1) & mask;
            long v = values[hand];
            if (v == 0) {
                continue;
            }
            if ((v & REFERENCED) != 0) {
                values[hand] = v & ~REFERENCED;
                continue;
            }
            removeAt(hand);
            // the back-shift may have moved a later entry into this slot: look at it again on the next eviction
            hand = (hand - 1) & mask;
            return;
        }
    }

    /** Removes slot {@code gap} and moves later entries of its probe run back so every entry stays reachable. */
    private void removeAt(int gap) {
        int j = gap;
        while (true) {
            j = (j + 1) & mask;
            if (values[j] == 0) {
                break;
            }
            int h = home(hashA[j]);
            // the entry at j may fill the gap unless its home lies cyclically in (gap, j]
            boolean stays = gap <= j ? (gap < h && h <= j) : (gap < h || h <= j);
            if (!stays) {
                hashA[gap] = hashA[j];
                hashB[gap] = hashB[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        values[gap] = 0;
        size--;
    }

    private void resize(int capacity) {
        long[] oldA = hashA;
        long[] oldB = hashB;
        long[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != 0) {
                insert(oldA[i], oldB[i], oldValues[i]);
            }
        }
    }

    private void allocate(int capacity) {
        hashA = new long[capacity];
        hashB = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
    }

    // ---- fingerprints: two different multiply-mix lanes with their own seeds, finished by a 64-bit avalanche

    long hashA(long clientId, String metric, String labels) {
        long h = seedA ^ (clientId * 0x9E3779B97F4A7C15L);
        h = text(h, metric, 0xBF58476D1CE4E5B9L);
        h = text(h, labels, 0xBF58476D1CE4E5B9L);
        return avalanche(h);
    }

    long hashB(long clientId, String metric, String labels) {
        long h = seedB ^ (clientId * 0xC2B2AE3D27D4EB4FL);
        h = text(h, metric, 0x94D049BB133111EBL);
        h = text(h, labels, 0x94D049BB133111EBL);
        return avalanche(h);
    }

    /** Mixes the length first, so ("ab", "c") and ("a", "bc") differ, then two chars per step. */
    private static long text(long h, String s, long multiplier) {
        int n = s.length();
        h = (h ^ n) * multiplier;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            h = Long.rotateLeft((h ^ ((long) s.charAt(i) << 16 | s.charAt(i + 1))) * multiplier, 29);
        }
        if (i < n) {
            h = Long.rotateLeft((h ^ s.charAt(i)) * multiplier, 29);
        }
        return h;
    }

    private static long avalanche(long h) {
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
