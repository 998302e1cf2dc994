package dev.gatewatch.check.probe;

/**
 * When judging a response must stop, on {@link System#nanoTime()}'s clock. RE2/J matching cannot be interrupted, but it
 * reads the body through {@link #guard}, which gives up once the time is past; linear time alone is not enough on a
 * 1 MiB body with a large pattern.
 */
public record Deadline(long nanoTime) {

    /** No limit: for callers that judge small inputs or tests. */
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

    public static Deadline in(long nanos) {
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE - Math.max(0, now) ? NONE : new Deadline(now + nanos);
    }

    public boolean passed() {
        return nanoTime != Long.MAX_VALUE && System.nanoTime() - nanoTime >= 0;
    }

    /** @throws Exceeded once the deadline has passed */
    public void check() {
        if (passed()) {
            throw new Exceeded();
        }
    }

    /** The text, read with a look at the clock every few thousand characters. */
    public CharSequence guard(CharSequence text) {
        return nanoTime == Long.MAX_VALUE ? text : new Guarded(text, this);
    }

    /** Judging ran out of time; the check fails as not judged in time. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("the deadline passed", null, false, false);
        }
    }

    private static final class Guarded implements CharSequence {
        final CharSequence text;
        final Deadline deadline;
        int reads;

        Guarded(CharSequence text, Deadline deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 4095) == 0) {
                deadline.check();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Guarded(text.subSequence(start, end), deadline);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
